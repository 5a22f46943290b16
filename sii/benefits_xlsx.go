package sii

import (
	"io"
	"strings"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

// Sheet names of the benefits workbook.
const (
	SheetSocialBonus = "Social bonus"
	SheetRelief      = "Earthquake relief"
	SheetReliefList  = "Relief list"
)

// WriteBenefitsXLSX writes, for billing, the points with a social bonus
// active on day at and the points covered by relief (relief may be nil).
// A third sheet states the relief list's source, validity and known gaps,
// so that readers of the report see what it cannot show.
func WriteBenefitsXLSX(w io.Writer, at civil.Date, bonuses []BonusEntitlement, relief *ReliefResult) error {
	sheets := []sheet{
		{name: SheetSocialBonus, header: []any{"Day", ColPOD, ColDistributorVAT, "Economic", "Physical", ColBonusCommunication,
			ColEconomicBonusStart, ColEconomicBonusEnd, ColPhysicalBonusStart, ColPhysicalBonusEnd},
			rows: func(add func([]any) error) error {
				for _, b := range bonuses {
					r := b.Record
					if err := add([]any{at.Italian(), b.POD, r.DistributorVAT, yesNo(b.Economic), yesNo(b.Physical), b.Communication,
						dateText(r.EconomicBonus.Start), dateText(r.EconomicBonus.End),
						dateText(r.PhysicalBonus.Start), dateText(r.PhysicalBonus.End)}); err != nil {
						return err
					}
				}
				return nil
			}},
	}
	if relief != nil {
		sheets = append(sheets, reliefSheet(relief), reliefListSheet(relief))
	}
	return writeWorkbook(w, sheets)
}

func reliefSheet(res *ReliefResult) sheet {
	return sheet{name: SheetRelief, header: []any{"Day", ColPOD, ColDistributorVAT, "Municipality", "Province", "ISTAT code", "Annex",
		"Self-declaration only", "Matched by", "Site ISTAT code", "Covered from", "Covered to"},
		rows: func(add func([]any) error) error {
			for _, p := range res.Points {
				if err := add([]any{res.At.Italian(), p.POD, p.Record.DistributorVAT, p.Entry.Name, p.Entry.Province,
					p.Entry.ISTATCode, p.Entry.Annex, yesNo(p.Entry.SelfDeclarationOnly), string(p.MatchedBy),
					p.Municipality.ISTATCode, p.CoveredFrom.Italian(), p.CoveredTo.Italian()}); err != nil {
					return err
				}
			}
			for _, pod := range res.Unlocated {
				if err := add([]any{res.At.Italian(), pod, "", "municipality unknown: not checked"}); err != nil {
					return err
				}
			}
			return nil
		}}
}

func reliefListSheet(res *ReliefResult) sheet {
	l := res.List
	return sheet{name: SheetReliefList, header: []any{"Item", "Value"},
		rows: func(add func([]any) error) error {
			rows := [][]any{
				{"Measure", l.Measure},
				{"Legal source", l.LegalSource},
				{"Valid from", l.ValidFrom},
				{"Valid to", l.ValidTo},
				{appliesLabel(res), yesNo(res.Active)},
				{"List complete", yesNo(l.Complete)},
				{"Known gaps", strings.Join(l.Unknown, " ")},
			}
			for _, row := range rows {
				if err := add(row); err != nil {
					return err
				}
			}
			return nil
		}}
}

// appliesLabel returns the label of the row that states whether the
// measure applies in the period of res.
func appliesLabel(res *ReliefResult) string {
	if res.From.IsZero() || res.From == res.To {
		return "Applies on " + res.At.Italian()
	}
	return "Applies from " + res.From.Italian() + " to " + res.To.Italian()
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
