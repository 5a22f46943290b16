package accise

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Namespaces of the bank transfer files.
const (
	// CBINamespace is the namespace of CBIPaymentRequest.00.04.01.
	CBINamespace = "urn:CBI:xsd:CBIPaymentRequest.00.04.01"
	// Pain001Namespace is the namespace of ISO 20022 pain.001.001.03.
	Pain001Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
)

// BankMessage is one credit-transfer request: the transfers of one
// execution date from one debtor account.
type BankMessage struct {
	// ID is the message id (MsgId, up to 35 characters); the payment
	// information id is ID with "-1" appended.
	ID string
	// Created is the creation time (CreDtTm).
	Created time.Time
	// Execution is the requested execution date (ReqdExctnDt).
	Execution civil.Date
	// Debtor is the paying company.
	Debtor Debtor
	// Transfers are the credit transfers (CdtTrfTxInf).
	Transfers []Transfer
}

// BankMessages groups transfers by execution date into messages whose ids
// are prefix, "-" and the date as yyyymmdd.
func BankMessages(prefix string, created time.Time, debtor Debtor, transfers []Transfer) []BankMessage {
	var out []BankMessage
	index := map[civil.Date]int{}
	for _, t := range transfers {
		i, ok := index[t.Execution]
		if !ok {
			i = len(out)
			index[t.Execution] = i
			id := fmt.Sprintf("%s-%04d%02d%02d", prefix, t.Execution.Year, t.Execution.Month, t.Execution.Day)
			out = append(out, BankMessage{ID: id, Created: created, Execution: t.Execution, Debtor: debtor})
		}
		out[i].Transfers = append(out[i].Transfers, t)
	}
	return out
}

func (m BankMessage) check() error {
	switch {
	case len(m.ID) == 0 || len(m.ID)+2 > 35:
		return fmt.Errorf("accise: bank message id %q: want 1 to 33 characters", m.ID)
	case len(m.Transfers) == 0:
		return fmt.Errorf("accise: bank message %s has no transfers", m.ID)
	case m.Execution.IsZero():
		return fmt.Errorf("accise: bank message %s has no execution date", m.ID)
	}
	if m.Debtor.Name == "" || len(m.Debtor.Name) > 70 {
		return fmt.Errorf("accise: bank message %s: debtor name %q; want 1 to 70 characters", m.ID, m.Debtor.Name)
	}
	for _, t := range m.Transfers {
		if err := t.check(); err != nil {
			return fmt.Errorf("accise: bank message %s: %w", m.ID, err)
		}
	}
	return nil
}

func (m BankMessage) total() decimal.Decimal {
	sum := decimal.Zero
	for _, t := range m.Transfers {
		sum = sum.Add(t.Amount)
	}
	return sum
}

type xmlAmount struct {
	Currency string `xml:"Ccy,attr"`
	Value    string `xml:",chardata"`
}

type xmlAccount struct {
	IBAN string `xml:"Id>IBAN"`
}

type xmlRemittance struct {
	Unstructured string `xml:"Ustrd"`
}

type cbiOther struct {
	ID     string `xml:"Id"`
	Issuer string `xml:"Issr,omitempty"`
}

type cbiAgent struct {
	BIC string `xml:"FinInstnId>BICFI"`
}

type cbiDocument struct {
	XMLName xml.Name `xml:"CBIPaymentRequest"`
	Xmlns   string   `xml:"xmlns,attr"`
	Header  struct {
		MsgID      string   `xml:"MsgId"`
		Created    string   `xml:"CreDtTm"`
		Count      string   `xml:"NbOfTxs"`
		Sum        string   `xml:"CtrlSum"`
		Name       string   `xml:"InitgPty>Nm,omitempty"`
		Initiating cbiOther `xml:"InitgPty>Id>OrgId>Othr"`
	} `xml:"GrpHdr"`
	Info struct {
		ID           string        `xml:"PmtInfId"`
		Method       string        `xml:"PmtMtd"`
		ServiceLevel string        `xml:"PmtTpInf>SvcLvl>Cd"`
		Execution    string        `xml:"ReqdExctnDt>Dt"`
		DebtorName   string        `xml:"Dbtr>Nm"`
		DebtorAcct   xmlAccount    `xml:"DbtrAcct"`
		DebtorABI    string        `xml:"DbtrAgt>FinInstnId>ClrSysMmbId>MmbId"`
		ChargeBearer string        `xml:"ChrgBr"`
		Transactions []cbiTransfer `xml:"CdtTrfTxInf"`
	} `xml:"PmtInf"`
}

type cbiTransfer struct {
	InstrID     string        `xml:"PmtId>InstrId"`
	EndToEnd    string        `xml:"PmtId>EndToEndId"`
	Amount      xmlAmount     `xml:"Amt>InstdAmt"`
	CreditorAgt *cbiAgent     `xml:"CdtrAgt,omitempty"`
	Creditor    string        `xml:"Cdtr>Nm"`
	CreditAcct  xmlAccount    `xml:"CdtrAcct"`
	Remittance  xmlRemittance `xml:"RmtInf"`
}

// WriteCBI writes a message as a CBI CBIPaymentRequest.00.04.01 file for
// Italian corporate banking: SEPA credit transfers, charges shared (SLEV),
// the debtor bank identified by its ABI code and the company by its CUC.
func WriteCBI(w io.Writer, m BankMessage) error {
	if err := m.check(); err != nil {
		return err
	}
	if m.Debtor.CUC == "" {
		return fmt.Errorf("accise: CBI message %s: missing debtor CUC", m.ID)
	}
	var doc cbiDocument
	doc.Xmlns = CBINamespace
	doc.Header.MsgID = m.ID
	doc.Header.Created = m.Created.Format("2006-01-02T15:04:05")
	doc.Header.Count = strconv.Itoa(len(m.Transfers))
	doc.Header.Sum = m.total().StringFixed(2)
	doc.Header.Name = m.Debtor.Name
	doc.Header.Initiating = cbiOther{ID: m.Debtor.CUC, Issuer: "CBI"}
	doc.Info.ID = m.ID + "-1"
	doc.Info.Method = "TRF"
	doc.Info.ServiceLevel = "SEPA"
	doc.Info.Execution = m.Execution.String()
	doc.Info.DebtorName = m.Debtor.Name
	doc.Info.DebtorAcct = xmlAccount{IBAN: compactIBAN(m.Debtor.IBAN)}
	doc.Info.DebtorABI = m.Debtor.ABI
	doc.Info.ChargeBearer = "SLEV"
	for i, t := range m.Transfers {
		tr := cbiTransfer{InstrID: strconv.Itoa(i + 1), EndToEnd: t.EndToEndID,
			Amount:   xmlAmount{Currency: "EUR", Value: t.Amount.StringFixed(2)},
			Creditor: t.Creditor.Name, CreditAcct: xmlAccount{IBAN: compactIBAN(t.Creditor.IBAN)},
			Remittance: xmlRemittance{Unstructured: t.Reference}}
		if t.Creditor.BIC != "" {
			tr.CreditorAgt = &cbiAgent{BIC: t.Creditor.BIC}
		}
		doc.Info.Transactions = append(doc.Info.Transactions, tr)
	}
	return writeXMLDocument(w, doc)
}

type painParty struct {
	Name string `xml:"Nm"`
}

type painAgent struct {
	Institution struct {
		BIC   string     `xml:"BIC,omitempty"`
		Other *painOther `xml:"Othr,omitempty"`
	} `xml:"FinInstnId"`
}

type painOther struct {
	ID string `xml:"Id"`
}

func newPainAgent(bic string) *painAgent {
	a := &painAgent{}
	a.Institution.BIC = bic
	if bic == "" {
		a.Institution.Other = &painOther{ID: "NOTPROVIDED"}
	}
	return a
}

type painDocument struct {
	XMLName xml.Name `xml:"Document"`
	Xmlns   string   `xml:"xmlns,attr"`
	Header  struct {
		MsgID   string    `xml:"MsgId"`
		Created string    `xml:"CreDtTm"`
		Count   string    `xml:"NbOfTxs"`
		Sum     string    `xml:"CtrlSum"`
		Party   painParty `xml:"InitgPty"`
	} `xml:"CstmrCdtTrfInitn>GrpHdr"`
	Info struct {
		ID           string         `xml:"PmtInfId"`
		Method       string         `xml:"PmtMtd"`
		Count        string         `xml:"NbOfTxs"`
		Sum          string         `xml:"CtrlSum"`
		ServiceLevel string         `xml:"PmtTpInf>SvcLvl>Cd"`
		Execution    string         `xml:"ReqdExctnDt"`
		Debtor       painParty      `xml:"Dbtr"`
		DebtorAcct   xmlAccount     `xml:"DbtrAcct"`
		DebtorAgent  *painAgent     `xml:"DbtrAgt"`
		ChargeBearer string         `xml:"ChrgBr"`
		Transactions []painTransfer `xml:"CdtTrfTxInf"`
	} `xml:"CstmrCdtTrfInitn>PmtInf"`
}

type painTransfer struct {
	EndToEnd   string        `xml:"PmtId>EndToEndId"`
	Amount     xmlAmount     `xml:"Amt>InstdAmt"`
	Agent      *painAgent    `xml:"CdtrAgt,omitempty"`
	Creditor   painParty     `xml:"Cdtr"`
	CreditAcct xmlAccount    `xml:"CdtrAcct"`
	Remittance xmlRemittance `xml:"RmtInf"`
}

// WritePain001 writes a message as an ISO 20022 pain.001.001.03 customer
// credit-transfer initiation: one payment information block of SEPA
// transfers with shared charges. A debtor without BIC is written with the
// identifier NOTPROVIDED, as the SEPA rulebook allows.
func WritePain001(w io.Writer, m BankMessage) error {
	if err := m.check(); err != nil {
		return err
	}
	var doc painDocument
	doc.Xmlns = Pain001Namespace
	doc.Header.MsgID = m.ID
	doc.Header.Created = m.Created.Format("2006-01-02T15:04:05")
	doc.Header.Count = strconv.Itoa(len(m.Transfers))
	doc.Header.Sum = m.total().StringFixed(2)
	doc.Header.Party = painParty{Name: m.Debtor.Name}
	doc.Info.ID = m.ID + "-1"
	doc.Info.Method = "TRF"
	doc.Info.Count = doc.Header.Count
	doc.Info.Sum = doc.Header.Sum
	doc.Info.ServiceLevel = "SEPA"
	doc.Info.Execution = m.Execution.String()
	doc.Info.Debtor = painParty{Name: m.Debtor.Name}
	doc.Info.DebtorAcct = xmlAccount{IBAN: compactIBAN(m.Debtor.IBAN)}
	doc.Info.DebtorAgent = newPainAgent(m.Debtor.BIC)
	doc.Info.ChargeBearer = "SLEV"
	for _, t := range m.Transfers {
		tr := painTransfer{EndToEnd: t.EndToEndID, Amount: xmlAmount{Currency: "EUR", Value: t.Amount.StringFixed(2)},
			Creditor: painParty{Name: t.Creditor.Name}, CreditAcct: xmlAccount{IBAN: compactIBAN(t.Creditor.IBAN)},
			Remittance: xmlRemittance{Unstructured: t.Reference}}
		if t.Creditor.BIC != "" {
			tr.Agent = newPainAgent(t.Creditor.BIC)
		}
		doc.Info.Transactions = append(doc.Info.Transactions, tr)
	}
	return writeXMLDocument(w, doc)
}

func writeXMLDocument(w io.Writer, doc any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("accise: writing XML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func compactIBAN(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			out = append(out, s[i])
		}
	}
	return string(out)
}
