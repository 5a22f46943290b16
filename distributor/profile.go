package distributor

import (
	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Profile is the set of rules one distributor adds to the standard: file naming,
// zipping, CSV layout, attribute case, required fields, its own services
// and the delivery folder. Profiles are data: LoadProfile reads one from
// JSON, and ShippedProfiles returns the embedded ones.
type Profile struct {
	// ID is the profile's short name, such as "e-distribuzione".
	ID string `json:"id"`
	// Name is the distributor's name.
	Name string `json:"name"`
	// DistributorVAT, when set, is the VAT number that piva_distr must
	// carry; requests that leave piva_distr empty get it from here.
	DistributorVAT string `json:"distributor_vat,omitempty"`
	// Source names where the profile's rules come from.
	Source string `json:"source"`
	// Verified is true when the rules were checked against the
	// distributor's own specification or accepted uploads.
	Verified bool `json:"verified"`
	// ValidFrom is the first day the rules apply.
	ValidFrom civil.Date `json:"valid_from,omitzero"`
	// Format is the format of request files: "xml" (one request per file)
	// or "csv" (one row per request, one service per file).
	Format string `json:"format"`
	// FileNameTemplate is the file-name template. README.md lists the
	// placeholders. It must contain {seq}, so that each upload gets a new
	// name.
	FileNameTemplate string `json:"file_name"`
	// Zip sends each file inside a zip archive of the same base name.
	Zip bool `json:"zip,omitempty"`
	// AttributeCase is "lower" (cod_servizio, the ARERA form) or "upper"
	// (COD_SERVIZIO) for the attributes of Prestazione.
	AttributeCase string `json:"attribute_case,omitempty"`
	// DateFormat is the date format of the XML: "iso" (2006-01-02, the
	// default) or "italian" (02/01/2006).
	DateFormat string `json:"date_format,omitempty"`
	// SchemaLocation adds xsi:noNamespaceSchemaLocation with the flow's
	// XSD path, as some producers do.
	SchemaLocation bool `json:"schema_location,omitempty"`
	// DecimalSeparator is "," (the default) or "." for powers in kW.
	DecimalSeparator string `json:"decimal_separator,omitempty"`
	// CSV is the CSV layout, used when Format is "csv".
	CSV CSVLayout `json:"csv,omitzero"`
	// Required adds required element paths per service code; the key "*"
	// applies to every service.
	Required map[string][]string `json:"required,omitempty"`
	// Services declares the distributor's own services.
	Services []*Service `json:"services,omitempty"`
	// FolderTemplate is the delivery folder template, relative to the
	// company's outbox, such as "e-distribuzione/{service}".
	FolderTemplate string `json:"folder,omitempty"`
	// DeadlineDays is the number of days after sending within which a final
	// outcome is expected, per service code; "*" is the default.
	DeadlineDays map[string]int `json:"deadline_days,omitempty"`
}

// CSVLayout is the CSV variant of a profile.
type CSVLayout struct {
	// Delimiter is the field separator, one character such as ";".
	Delimiter string `json:"delimiter,omitempty"`
	// Encoding is "utf-8" (the default), "windows-1252" or "iso-8859-1".
	Encoding string `json:"encoding,omitempty"`
	// Header writes a first line with the column names.
	Header bool `json:"header,omitempty"`
	// UpperColumns writes column names in upper case.
	UpperColumns bool `json:"upper_columns,omitempty"`
	// DateFormat is "iso" or "italian" (the default for CSV).
	DateFormat string `json:"date_format,omitempty"`
	// CRLF ends lines with CR LF instead of LF.
	CRLF bool `json:"crlf,omitempty"`
}

// Service returns a service by code: the profile's own services first,
// then the standard ones. A nil profile has the standard services only.
func (p *Profile) Service(code string) (*Service, bool) {
	if p != nil {
		for _, s := range p.Services {
			if s.Code == code {
				return s, true
			}
		}
	}
	return StandardService(code)
}

// requiredFor returns the extra required paths of a service.
func (p *Profile) requiredFor(code string) []string {
	if p == nil {
		return nil
	}
	return append(append([]string(nil), p.Required["*"]...), p.Required[code]...)
}
