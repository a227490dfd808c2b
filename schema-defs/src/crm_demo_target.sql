-- The `data` demo's target (production): customer 2 renamed, customer 6 only here.
INSERT INTO organizations (id, name, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 'Sales', '2026-01-05', '2026-01-05');
INSERT INTO users (id, tenant_id, email, display_name, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 'ana@example.com', 'Ana', '2026-01-05', '2026-01-05'),
  (2, 1, 'ben@example.com', 'Ben', '2026-01-05', '2026-01-05');
INSERT INTO customers (id, tenant_id, owner_id, name, email, stage, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, 'Acme', 'info@acme.example', 'customer', '2026-01-06', '2026-01-06'),
  (2, 1, 1, 'Birch', 'hello@birch.example', 'prospect', '2026-01-06', '2026-01-06'),
  (3, 1, 2, 'Cedar', NULL, 'lead', '2026-01-06', '2026-01-06'),
  (6, 1, 2, 'Fir', NULL, 'churned', '2026-01-20', '2026-01-20');
INSERT INTO customer_notes (id, tenant_id, customer_id, author_id, body, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, 1, 'Renewal in March', '2026-01-07', '2026-01-07');
