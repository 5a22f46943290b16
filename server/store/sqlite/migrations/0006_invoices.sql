-- Transport invoices of the distributors, with their points and charges.
-- Amounts are TEXT as read; dates TEXT yyyy-mm-dd, empty when absent or
-- invalid. invoice_key and charge_key are the duplicate keys of package
-- edi (InvoiceKey, ChargeKey), indexed to find invoices and charges billed
-- again in a later file.

CREATE TABLE edi_invoices (
    load_id BIGINT NOT NULL REFERENCES loads (id),
    seq INTEGER NOT NULL,
    company_id BIGINT NOT NULL,
    doc_index INTEGER NOT NULL,
    invoice_key TEXT NOT NULL,
    commodity TEXT NOT NULL,
    sender_vat TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    recipient_vat TEXT NOT NULL,
    number TEXT NOT NULL,
    issue_date TEXT NOT NULL,
    issue_date_text TEXT NOT NULL,
    type_code TEXT NOT NULL,
    invoice_type TEXT NOT NULL,
    entry_code TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    taxable TEXT NOT NULL,
    vat TEXT NOT NULL,
    total TEXT NOT NULL,
    point_count INTEGER NOT NULL,
    line INTEGER NOT NULL,
    PRIMARY KEY (load_id, seq)
);
CREATE INDEX edi_invoices_company_key ON edi_invoices (company_id, invoice_key);
CREATE INDEX edi_invoices_company_date ON edi_invoices (company_id, issue_date);

CREATE TABLE edi_points (
    load_id BIGINT NOT NULL REFERENCES loads (id),
    invoice_seq INTEGER NOT NULL,
    point_seq INTEGER NOT NULL,
    company_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    line INTEGER NOT NULL,
    PRIMARY KEY (load_id, invoice_seq, point_seq)
);
CREATE INDEX edi_points_company_code ON edi_points (company_id, code);

CREATE TABLE edi_charges (
    load_id BIGINT NOT NULL REFERENCES loads (id),
    invoice_seq INTEGER NOT NULL,
    point_seq INTEGER NOT NULL,
    charge_seq INTEGER NOT NULL,
    company_id BIGINT NOT NULL,
    charge_key TEXT NOT NULL,
    component TEXT NOT NULL,
    unit TEXT NOT NULL,
    bracket TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    quantity TEXT NOT NULL,
    unit_price TEXT NOT NULL,
    amount TEXT NOT NULL,
    vat_rate TEXT NOT NULL,
    entry_code TEXT NOT NULL,
    correction_reason TEXT NOT NULL,
    line INTEGER NOT NULL,
    PRIMARY KEY (load_id, invoice_seq, point_seq, charge_seq)
);
CREATE INDEX edi_charges_company_key ON edi_charges (company_id, charge_key);
