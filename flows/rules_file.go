package flows

import (
	"errors"
	"fmt"
	"strings"
)

// checkHeader checks the root element, its namespace, CodFlusso and
// IdentificativiFlusso against the official schema, and the shape of CodContrDisp (967) and of
// the VAT numbers.
func (v *Validator) checkHeader(out *Anomalies) {
	h := &v.header
	if h.Root != "" && h.Root != "FlussoMisure" && h.Root != "FM" {
		v.addSchema(out, RuleStructure, FileLevel, 0, "", h.Root, "",
			fmt.Sprintf("the root element is %s; want FlussoMisure", h.Root))
	}
	if ns := h.RootNamespace; ns.Text != "" {
		v.addSchema(out, RuleStructure, FileLevel, ns.Line, "", "xmlns", ns.Text,
			fmt.Sprintf("the root element is in namespace %q: the official schemas define it in no namespace, so remove the xmlns attribute", ns.Text))
	}
	switch {
	case !h.FlowCode.Set:
		v.addSchema(out, RuleStructure, FileLevel, h.FlowCode.Line, "", "CodFlusso", "",
			"the root element has no CodFlusso attribute")
	case !v.flowKnown:
		v.addSchema(out, RuleValue, FileLevel, h.FlowCode.Line, "", "CodFlusso", h.FlowCode.Text,
			fmt.Sprintf("CodFlusso %q is not a known flow code", h.FlowCode.Text))
	}
	v.checkHeaderStructure(out)
	*out = append(*out, v.RootElements(h.RootExtra)...)
	if !v.set.disabled[RuleForeignVAT] {
		for _, f := range []struct {
			name string
			val  Value
		}{{"PIvaUtente", h.SellerVAT}, {"PIvaDistributore", h.DistributorVAT}} {
			if f.val.HasText() && !isItalianVAT(f.val.Text) {
				v.add(out, RuleForeignVAT, f.val.Line, "", f.name, f.val.Text,
					fmt.Sprintf("%s %q is not an 11-digit Italian VAT number", f.name, f.val.Text))
			}
		}
	}
	if c := h.DispatchingContract; c.Set && !isContractCode(c.Text) {
		v.add(out, RuleContractFormat, c.Line, "", "CodContrDisp", c.Text,
			fmt.Sprintf("CodContrDisp %q is not DP followed by four digits other than 0000", c.Text))
	}
}

func isItalianVAT(s string) bool { return len(s) == 11 && digitsOnly(s) }

// isContractCode reports whether s is "DP" in any letter case followed by
// four digits other than "0000", the shape the Acquirente Unico checker
// requires of CodContrDisp.
func isContractCode(s string) bool {
	return len(s) == 6 && strings.EqualFold(s[:2], "DP") && digitsOnly(s[2:]) && s[2:] != "0000"
}

// checkFileName compares the file name with the header (rules 1, 3, 5, 8),
// checks its timestamp and meter state (7, 9, 10) and its month (14).
func (v *Validator) checkFileName(out *Anomalies, name string) {
	if v.file == "" {
		return
	}
	f, rule, err := parseNameForRules(name)
	if err != nil {
		var fe *FileNameError
		token := ""
		if errors.As(err, &fe) {
			token = fe.Token
		}
		if rule == "" {
			v.add(out, RuleFileName, 0, "", "", token,
				fmt.Sprintf("the file name cannot be parsed, so it is not compared with the header: %v", err))
			return
		}
		v.add(out, rule, 0, "", "", token, fmt.Sprintf("the file name is invalid: %v", err))
	}
	v.name, v.nameOK = f, true
	for _, d := range f.Defects {
		v.add(out, RuleFileNameDefect, 0, "", "", v.file, "the file name departs from the naming scheme: "+d)
	}
	h := &v.header
	if !h.IdentifiersMissing {
		// Without IdentificativiFlusso these would only repeat its absence.
		v.compareName(out, RuleDistributorVAT, "PIvaDistributore", h.DistributorVAT, f.DistributorVAT)
		v.compareName(out, RuleSellerVAT, "PIvaUtente", h.SellerVAT, f.SellerVAT)
		v.compareName(out, RuleContract, "CodContrDisp", h.DispatchingContract, f.DispatchingContract)
	}
	v.compareName(out, RuleFlowCode, "CodFlusso", h.FlowCode, f.FlowCode)
	v.checkMeterState(out, f, rule)
	v.checkMonthRange(out, f)
}

// parseNameForRules parses the file name. When the only problem is the
// timestamp (rule 7) or the meter state (rule 9), it returns the rule, the
// error and the facts of the name parsed without that token, so the other
// rules still run.
func parseNameForRules(name string) (FileName, string, error) {
	f, err := ParseFileName(name)
	if err == nil {
		return f, "", nil
	}
	var fe *FileNameError
	if !errors.As(err, &fe) || fe.Token == "" {
		return FileName{}, "", err
	}

	base := baseName(name)
	dot := strings.IndexByte(base, '.')
	if dot < 0 {
		return FileName{}, "", err
	}
	stem, ext := base[:dot], base[dot:]

	var tokens []string
	for _, t := range strings.Split(stem, "_") {
		if t != "" {
			tokens = append(tokens, t)
		}
	}

	var repaired, rule string
	switch {
	case len(tokens) > 4 && fe.Token == tokens[4]:
		tokens[4] = "20000101000000"
		repaired, rule = strings.Join(tokens, "_")+ext, RuleTimestamp
	case len(tokens) > 6 && fe.Token == tokens[6]:
		repaired, rule = strings.Join(tokens[:6], "_")+ext, RuleMeterState
	default:
		return FileName{}, "", err
	}

	g, err2 := ParseFileName(repaired)
	if err2 != nil {
		return FileName{}, "", err
	}
	if rule == RuleTimestamp {
		g.Timestamp = fe.Token
	}
	if strings.Contains(strings.Trim(stem, "_"), "__") {
		g.Defects = append(g.Defects, DefectDoubledUnderscore)
	}
	return g, rule, err
}

func (v *Validator) compareName(out *Anomalies, rule, field string, header Value, fromName string) {
	if header.Text == fromName {
		return
	}
	v.add(out, rule, header.Line, "", field, header.Text,
		fmt.Sprintf("%s %q in the header differs from %q in the file name", field, header.Text, fromName))
}

// checkMeterState runs rules 9 and 10 on Flusso 1 and Flusso 2 names.
// skip is the rule already reported while parsing the name.
func (v *Validator) checkMeterState(out *Anomalies, f FileName, skip string) {
	fam := f.Flow.Family
	if fam != Periodic && fam != Correction {
		return
	}
	if f.MeterState == "" && skip != RuleMeterState {
		v.add(out, RuleMeterState, 0, "", "", "",
			"the file name has no meter state token: want R or NR after the dispatching contract")
	}
	if f.FlowCode == "PDO2G" && f.MeterState == MeterStateNotRegime {
		v.add(out, RulePDO2GNotRegime, 0, "", "", f.MeterState,
			"the file name combines flow PDO2G with meter state NR")
	}
}

// checkMonthRange runs rule 14: the file month may be neither after the
// processing month nor more than MaxMonthsBack months before it.
func (v *Validator) checkMonthRange(out *Anomalies, f FileName) {
	if f.Month.IsZero() {
		return
	}
	diff := v.set.processing.Index() - f.Month.Index()
	switch {
	case diff < 0:
		v.add(out, RuleMonthRange, 0, "", "", f.Period(),
			fmt.Sprintf("the file month %s is after the processing month %s", f.Month.Italian(), v.set.processing.Italian()))
	case diff > v.set.maxMonthsBack:
		v.add(out, RuleMonthRange, 0, "", "", f.Period(),
			fmt.Sprintf("the file month %s is %d months before the processing month %s; at most %d are allowed",
				f.Month.Italian(), diff, v.set.processing.Italian(), v.set.maxMonthsBack))
	}
}

// checkRegistry runs rules 4 and 6 when a Registry is set and the header
// has IdentificativiFlusso, except for the exempt dispatching contracts.
// The month is the file month.
func (v *Validator) checkRegistry(out *Anomalies) error {
	reg := v.opts.Registry
	month, ok := v.fileMonth()
	if reg == nil || !ok || v.header.IdentifiersMissing {
		return nil
	}
	h := &v.header
	seller, contract := h.SellerVAT.Text, h.DispatchingContract.Text
	if v.set.exempt[contract] {
		return nil
	}
	active, err := reg.SellerActive(seller, month.Year, month.Month)
	if err != nil {
		return fmt.Errorf("flows: registry lookup of seller %q for %s failed: %w", seller, month.Italian(), err)
	}
	if !active && !v.set.disabled[RuleSellerRegistered] {
		v.add(out, RuleSellerRegistered, h.SellerVAT.Line, "", "PIvaUtente", seller,
			fmt.Sprintf("PIvaUtente %q is not an active dispatching user in the RCU for %s", seller, month.Italian()))
	}
	linked, err := reg.ContractOfSeller(seller, contract, month.Year, month.Month)
	if err != nil {
		return fmt.Errorf("flows: registry lookup of contract %q of seller %q for %s failed: %w", contract, seller, month.Italian(), err)
	}
	if !linked {
		v.add(out, RuleContractOfSeller, h.DispatchingContract.Line, "", "CodContrDisp", contract,
			fmt.Sprintf("CodContrDisp %q is not associated with PIvaUtente %q in the RCU for %s", contract, seller, month.Italian()))
	}
	return nil
}

// digitsOnly reports whether s is one or more ASCII digits.
func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
