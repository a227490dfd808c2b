-- The `data` demo's source (development): one more user, customers 4 and 5, a note.
INSERT INTO organizations (id, name, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 'Sales', '2026-01-05', '2026-01-05');
INSERT INTO users (id, tenant_id, email, display_name, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 'ana@example.com', 'Ana', '2026-01-05', '2026-01-05'),
  (2, 1, 'ben@example.com', 'Ben', '2026-01-05', '2026-01-05'),
  (3, 1, 'cleo@example.com', 'Cleo', '2026-02-01', '2026-02-01');
INSERT INTO customers (id, tenant_id, owner_id, name, email, stage, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, 'Acme', 'info@acme.example', 'customer', '2026-01-06', '2026-01-06'),
  (2, 1, 1, 'Birch & Co', 'hello@birch.example', 'prospect', '2026-01-06', '2026-03-01'),
  (3, 1, 2, 'Cedar', NULL, 'lead', '2026-01-06', '2026-01-06'),
  (4, 1, 3, 'Dogwood', 'dog@wood.example', 'lead', '2026-02-02', '2026-02-02'),
  (5, 1, 3, 'Elm', NULL, 'lead', '2026-02-02', '2026-02-02');
INSERT INTO customer_notes (id, tenant_id, customer_id, author_id, body, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, 1, 'Renewal in March', '2026-01-07', '2026-01-07'),
  (2, 1, 4, 3, 'Met at the fair', '2026-02-03', '2026-02-03');
