package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bludispatcher/dispatcher/internal/civil"
)

//go:embed messages/*.json
var messageFS embed.FS

// languages are the page languages, the default first.
var languages = []string{"it", "en"}

// langCookie keeps the language chosen with the language switch.
const langCookie = "dispatcher_lang"

// catalog is the text of one language: page labels, messages and the
// formats of dates, times and numbers, by key.
type catalog map[string]string

// loadCatalogs reads messages/LANG.json for every language.
func loadCatalogs() (map[string]catalog, error) {
	out := make(map[string]catalog, len(languages))
	for _, lang := range languages {
		data, err := messageFS.ReadFile("messages/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("web: message catalog %s: %w", lang, err)
		}
		var c catalog
		if err := json.Unmarshal(data, &c); err != nil {
			return nil, fmt.Errorf("web: message catalog %s: %w", lang, err)
		}
		out[lang] = c
	}
	return out, nil
}

// locale renders text, dates, times and numbers in one language. The
// templates call its methods; every label and format comes from the
// language's catalog.
type locale struct {
	Lang string
	cat  catalog
}

// T returns the text of key, or the key itself when the catalog lacks it,
// so a missing label shows on the page instead of an empty cell.
func (l *locale) T(key string) string {
	if s, ok := l.cat[key]; ok {
		return s
	}
	return key
}

// Tf formats the text of key with args, as fmt.Sprintf does.
func (l *locale) Tf(key string, args ...any) string {
	return fmt.Sprintf(l.T(key), args...)
}

// Has reports whether the catalog has key.
func (l *locale) Has(key string) bool {
	_, ok := l.cat[key]
	return ok
}

// Date formats a civil date with the catalog's format.date layout; the
// zero date is empty.
func (l *locale) Date(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format(l.T("format.date"))
}

// Time formats an instant in Europe/Rome with the catalog's format.time
// layout; the zero time is empty.
func (l *locale) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(civil.Rome).Format(l.T("format.time"))
}

// Clock formats the Europe/Rome wall-clock time of an instant with the
// catalog's format.clock layout, which names the zone so that the
// repeated hour of the autumn day reads unambiguously.
func (l *locale) Clock(t time.Time) string {
	return t.In(civil.Rome).Format(l.T("format.clock"))
}

// Competence formats a stored competence, "yyyy-mm" or "yyyy-mm-dd", as a
// month or a date of the language.
func (l *locale) Competence(s string) string {
	if d, err := civil.ParseISODate(s); err == nil {
		return l.Date(d)
	}
	if d, err := civil.ParseISODate(s + "-01"); err == nil {
		return time.Date(d.Year, d.Month, 1, 0, 0, 0, 0, time.UTC).Format(l.T("format.month"))
	}
	return s
}

// Num formats a decimal-comma number as read from a file with the
// language's decimal and digit-group separators. Text that is not a plain
// decimal-comma number is returned unchanged.
func (l *locale) Num(s string) string {
	return formatNumber(s, l.T("format.decimal"), l.T("format.group"))
}

// Int formats an integer of any Go integer type (counts, sizes, ids) with
// the language's digit-group separator.
func (l *locale) Int(n any) string {
	return formatNumber(fmt.Sprint(n), l.T("format.decimal"), l.T("format.group"))
}

// Ptr returns *s, or "" for nil (an absent element).
func (l *locale) Ptr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// formatNumber regroups a number written with a decimal comma, an
// optional minus sign and no group separators.
func formatNumber(s, decimalSep, groupSep string) string {
	sign := ""
	body := s
	if strings.HasPrefix(body, "-") {
		sign, body = "-", body[1:]
	}
	intPart, frac, hasFrac := strings.Cut(body, ",")
	if intPart == "" || !digitsOnly(intPart) || (hasFrac && !digitsOnly(frac)) {
		return s
	}
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(groupSep)
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString(decimalSep)
		b.WriteString(frac)
	}
	return b.String()
}

func digitsOnly(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// language picks the request's language: a valid lang query parameter
// (which the handler also stores in a cookie), else the cookie, else the
// default.
func language(r *http.Request) (lang string, fromQuery bool) {
	if q := r.URL.Query().Get("lang"); validLang(q) {
		return q, true
	}
	if c, err := r.Cookie(langCookie); err == nil && validLang(c.Value) {
		return c.Value, false
	}
	return languages[0], false
}

func validLang(s string) bool {
	for _, l := range languages {
		if s == l {
			return true
		}
	}
	return false
}
