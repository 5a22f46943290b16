package web

import (
	"github.com/bludispatcher/dispatcher/internal/civil"
	"html/template"
	"net/url"
	"strconv"
)

// templateFuncs are the helpers shared by every template. Text and formats
// come from the locale passed in the page data, not from here.
var templateFuncs = template.FuncMap{
	"add": func(a, b int) int { return a + b },
	// query returns the current query with pairs of key, value replaced;
	// an empty value removes the key.
	"query": func(q url.Values, pairs ...string) string {
		out := url.Values{}
		for k, v := range q {
			out[k] = v
		}
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i+1] == "" {
				out.Del(pairs[i])
			} else {
				out.Set(pairs[i], pairs[i+1])
			}
		}
		if len(out) == 0 {
			return ""
		}
		return "?" + out.Encode()
	},
	"itoa":     strconv.Itoa,
	"sortHead": sortHead,
	"keys":     sortedKeys,
	"list":     func(items ...string) []string { return items },
	// pair passes two values to a sub-template.
	"pair": func(a, b any) pairOf { return pairOf{A: a, B: b} },
	// iso writes a date as yyyy-mm-dd, the value format of date inputs
	// and links.
	"iso": func(d civil.Date) string { return d.String() },
}

// sortHeader is a sortable column header: its label, and the link that
// sorts by it (ascending, or descending when it is already the ascending
// sort).
type sortHeader struct {
	Label        string
	URL          string
	Active, Desc bool
}

func sortHead(l *locale, q url.Values, current string, desc bool, key, labelKey string) sortHeader {
	h := sortHeader{Label: l.T(labelKey), Active: current == key, Desc: desc}
	out := url.Values{}
	for k, v := range q {
		out[k] = v
	}
	out.Set("sort", key)
	out.Del("page")
	out.Del("dir")
	if h.Active && !desc {
		out.Set("dir", "desc")
	}
	h.URL = "?" + out.Encode()
	return h
}

// pairOf is two values passed together to a sub-template.
type pairOf struct{ A, B any }
