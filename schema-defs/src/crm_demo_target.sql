-- The `data` demo's target (production): customer 2 renamed, customer 6 only here.
INSERT INTO users (id, email, display_name, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 'ana@example.com', 'Ana', '2026-01-05', '2026-01-05'),
  (2, 'ben@example.com', 'Ben', '2026-01-05', '2026-01-05');
INSERT INTO customers (id, owner_id, name, email, stage, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 'Acme', 'info@acme.example', 'customer', '2026-01-06', '2026-01-06'),
  (2, 1, 'Birch', 'hello@birch.example', 'prospect', '2026-01-06', '2026-01-06'),
  (3, 2, 'Cedar', NULL, 'lead', '2026-01-06', '2026-01-06'),
  (6, 2, 'Fir', NULL, 'churned', '2026-01-20', '2026-01-20');
INSERT INTO customer_notes (id, customer_id, author_id, body, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, 'Renewal in March', '2026-01-07', '2026-01-07');
