package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/report"
)

// element is an element of a parsed page, with its text.
type element struct {
	name     string
	attrs    map[string]string
	parent   *element
	children []*element
	text     strings.Builder
}

func (e *element) class(c string) bool {
	for _, f := range strings.Fields(e.attrs["class"]) {
		if f == c {
			return true
		}
	}
	return false
}

// all returns the elements under e (e included) that match.
func (e *element) all(match func(*element) bool) []*element {
	var out []*element
	if match(e) {
		out = append(out, e)
	}
	for _, c := range e.children {
		out = append(out, c.all(match)...)
	}
	return out
}

// allText is the text of e and its descendants.
func (e *element) allText() string {
	var b strings.Builder
	b.WriteString(e.text.String())
	for _, c := range e.children {
		b.WriteString(c.allText())
	}
	return b.String()
}

// parseXML parses a page as strict XML: every element closed and
// nested, every entity one of XML's five or numeric, no stray & or <.
// That the HTML renderer's output passes is what makes it well-formed.
func parseXML(t *testing.T, page []byte) *element {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = true
	root := &element{name: "#document"}
	cur := root
	doctype := false
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the page is not well-formed: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &element{name: tok.Name.Local, attrs: map[string]string{}, parent: cur}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			cur.children = append(cur.children, e)
			cur = e
		case xml.EndElement:
			cur = cur.parent
		case xml.CharData:
			cur.text.Write(tok)
		case xml.Directive:
			if strings.EqualFold(string(tok), "DOCTYPE html") {
				doctype = true
			}
		}
	}
	if !doctype {
		t.Error("the page has no <!DOCTYPE html>")
	}
	if len(root.children) != 1 || root.children[0].name != "html" {
		t.Fatalf("the page's root is not one <html> element")
	}
	return root.children[0]
}

func renderHTML(t *testing.T, r *sla.Report, opts report.Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.HTML(&buf, r, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func byName(name string) func(*element) bool {
	return func(e *element) bool { return e.name == name }
}

func TestHTMLWellFormedAndSelfContained(t *testing.T) {
	page := renderHTML(t, fixture(t), report.Options{Locale: report.French})
	html := parseXML(t, page)
	if html.attrs["lang"] != "fr" {
		t.Errorf("lang = %q, want fr", html.attrs["lang"])
	}
	for _, name := range []string{"script", "link", "img", "iframe", "object"} {
		if n := len(html.all(byName(name))); n > 0 {
			t.Errorf("the page has %d <%s> elements; it must need nothing but itself", n, name)
		}
	}
	for _, e := range html.all(func(*element) bool { return true }) {
		for k, v := range e.attrs {
			if k == "src" || strings.HasPrefix(k, "on") || k == "href" && !strings.HasPrefix(v, "#") {
				t.Errorf("<%s %s=%q>: the page refers outside itself or runs code", e.name, k, v)
			}
			if strings.Contains(v, "url(") && !strings.Contains(v, "url(#") {
				t.Errorf("<%s %s=%q>: an external url", e.name, k, v)
			}
		}
	}
	if bytes.Contains(page, []byte("@import")) || bytes.Contains(page, []byte("url(http")) {
		t.Error("the CSS loads something")
	}
	// Every SVG is accessible: a role, a title and a description first.
	svgs := html.all(byName("svg"))
	if len(svgs) == 0 {
		t.Fatal("no SVG chart")
	}
	for i, s := range svgs {
		if s.attrs["role"] != "img" {
			t.Errorf("svg %d has no role=img", i)
		}
		if len(s.children) < 2 || s.children[0].name != "title" || s.children[1].name != "desc" ||
			strings.TrimSpace(s.children[0].allText()) == "" || strings.TrimSpace(s.children[1].allText()) == "" {
			t.Errorf("svg %d does not start with a non-empty <title> and <desc>", i)
		}
	}
	// Every in-page link has its target.
	ids := map[string]bool{}
	for _, e := range html.all(func(e *element) bool { return e.attrs["id"] != "" }) {
		if ids[e.attrs["id"]] {
			t.Errorf("id %q is used twice", e.attrs["id"])
		}
		ids[e.attrs["id"]] = true
	}
	for _, a := range html.all(byName("a")) {
		if id := strings.TrimPrefix(a.attrs["href"], "#"); !ids[id] {
			t.Errorf("link to #%s, which does not exist", id)
		}
	}
}

func TestHTMLCharts(t *testing.T) {
	rep := fixture(t)
	html := parseXML(t, renderHTML(t, rep, report.Options{Locale: report.French}))

	// (b) One bar segment per rule and period with a penalty due, one per
	// bonus due, one net tick per period with an amount.
	var penalties, bonuses, periodsWithAmounts int
	for _, p := range rep.Periods {
		any := false
		for _, rr := range p.Rules {
			if rr.Penalty.IsPositive() {
				penalties++
				any = true
			}
			if rr.Bonus.IsPositive() {
				bonuses++
				any = true
			}
		}
		if any {
			periodsWithAmounts++
		}
	}
	if penalties == 0 || bonuses == 0 {
		t.Fatalf("the fixture should have penalties and bonuses due (%d, %d)", penalties, bonuses)
	}
	got := html.all(func(e *element) bool { return e.name == "rect" && e.class("penalty") })
	if len(got) != penalties {
		t.Errorf("%d penalty bars, want %d (one per rule and period with a penalty)", len(got), penalties)
	}
	for _, e := range got {
		if e.attrs["data-rule"] == "" || e.attrs["data-period"] == "" || len(e.all(byName("title"))) != 1 {
			t.Errorf("penalty bar %v: no rule, period or tooltip", e.attrs)
		}
	}
	if got := html.all(func(e *element) bool { return e.name == "g" && e.class("bonus") && e.class("bar") }); len(got) != bonuses {
		t.Errorf("%d bonus bars, want %d", len(got), bonuses)
	}
	if got := html.all(func(e *element) bool { return e.name == "line" && e.class("net") }); len(got) != periodsWithAmounts {
		t.Errorf("%d net ticks, want %d", len(got), periodsWithAmounts)
	}

	// (a) One chart per rule, each with its objective dashed, and the
	// breaches flagged.
	rules := map[string]bool{}
	breaches := 0
	for _, p := range rep.Periods {
		for _, rr := range p.Rules {
			rules[rr.ID] = true
			if rr.Status == sla.StatusBreached && rr.Achieved != nil {
				breaches++
			}
		}
	}
	small := html.all(func(e *element) bool { return e.name == "figure" && e.class("small") })
	if len(small) != len(rules) {
		t.Errorf("%d rule charts, want %d", len(small), len(rules))
	}
	for _, fig := range small {
		title := fig.all(byName("title"))[0].allText()
		dashed := fig.all(func(e *element) bool {
			return e.name == "path" && e.class("series") && e.attrs["stroke-dasharray"] != ""
		})
		if len(dashed) != 1 {
			t.Errorf("chart %q: %d dashed objective lines, want 1", title, len(dashed))
		}
	}
	if got := html.all(func(e *element) bool { return e.class("flagged") }); len(got) != breaches {
		t.Errorf("%d flagged points, want %d breaches", len(got), breaches)
	}

	// (c) A waterfall for each period with an amount at any step, that
	// starts at the raw total and ends at the amount due or the net.
	want := 0
	for _, p := range rep.Periods {
		for _, rr := range p.Rules {
			if !rr.RawPenalty.IsZero() || !rr.RawBonus.IsZero() {
				want++
				break
			}
		}
	}
	falls := html.all(func(e *element) bool { return e.name == "figure" && e.class("waterfall") })
	if len(falls) != want {
		t.Fatalf("%d waterfalls, want %d", len(falls), want)
	}
	steps := map[string]bool{}
	for _, fig := range falls {
		bars := fig.all(func(e *element) bool { return e.class("wbar") })
		if len(bars) < 2 || bars[0].attrs["data-step"] != "raw" {
			t.Errorf("a waterfall does not start with the raw total")
			continue
		}
		last := bars[len(bars)-1].attrs["data-step"]
		if last != "due" && last != "net" {
			t.Errorf("a waterfall ends with %q", last)
		}
		for _, b := range bars {
			steps[b.attrs["data-step"]] = true
		}
	}
	for _, s := range []string{"observation", "franchise", "repeat", "rounding", "rule caps", "month cap", "year cap", "bonuses", "net"} {
		if !steps[s] {
			t.Errorf("no waterfall shows the step %q", s)
		}
	}
}

// hostile is the fixture with markup, quotes, control characters and
// terminal escapes in every text a report carries.
func hostile(t *testing.T) *sla.Report {
	t.Helper()
	b, err := json.Marshal(fixture(t))
	if err != nil {
		t.Fatal(err)
	}
	var r sla.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	r.Contract = `<b>ACME</b> & "Co" 'x' ]]> <!-- c -->`
	r.File = "file\x1b[31m.yaml"
	// A breached rule with missed items and trace lines.
	var rr *sla.RuleReport
	for i := range r.Periods {
		for k := range r.Periods[i].Rules {
			x := &r.Periods[i].Rules[k]
			if rr == nil && x.Status == sla.StatusBreached && len(x.MissedItems) > 0 && len(x.Steps) > 0 {
				rr = x
			}
		}
	}
	if rr == nil {
		t.Fatal("the fixture has no breached rule with missed items and trace lines")
	}
	rr.ID = `R<1>&'|*_x_`
	rr.Name = `<script>alert("x")</script>`
	rr.ObjectiveText = `a | b >= 90%`
	rr.MissedItems[0].ID = "T\x00\x07\u202e1|2"
	rr.Steps[0].Note = "note\r\nwith </svg> in it"
	r.Rejected = append(r.Rejected, sla.Rejection{Source: "x.csv", Line: 3, Error: "bad <tag> & \x1b]0;title\x07 \ufffe"})
	r.Errors = append(r.Errors, sla.RuleError{Rule: "<R>", Item: "&amp;", Error: `"quoted" </td>`})
	r.Warnings = append(r.Warnings, "<i>warned</i>")
	return &r
}

func TestHTMLEscapes(t *testing.T) {
	r := hostile(t)
	page := renderHTML(t, r, report.Options{})
	html := parseXML(t, page)
	if n := len(html.all(byName("script"))) + len(html.all(byName("b"))) + len(html.all(byName("i"))) + len(html.all(byName("tag"))); n > 0 {
		t.Errorf("text from the report became %d elements", n)
	}
	text := html.allText()
	for _, s := range []string{`<b>ACME</b> & "Co" 'x' ]]> <!-- c -->`, `R<1>&'|*_x_`, `<script>alert("x")</script>`, "&amp;", `"quoted" </td>`, "<i>warned</i>"} {
		if !strings.Contains(text, s) {
			t.Errorf("the page does not show %q as text", s)
		}
	}
	// The rule charts' titles carry the rule id, escaped.
	found := false
	for _, ti := range html.all(byName("title")) {
		if strings.Contains(ti.allText(), `R<1>&'|*_x_`) {
			found = true
		}
	}
	if !found {
		t.Error("no SVG title names the hostile rule")
	}
}

func TestTextAndMarkdownEscape(t *testing.T) {
	r := hostile(t)
	for name, render := range map[string]renderer{"text": report.Text, "markdown": report.Markdown} {
		var buf bytes.Buffer
		if err := render(&buf, r, report.Options{}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, c := range out {
			if c < 0x20 && c != '\n' || c == 0x7f || c == '\u202e' {
				t.Errorf("%s: the output holds the control character %U", name, c)
			}
		}
		if name == "markdown" {
			// Every table row has as many cells as its header.
			for _, line := range strings.Split(out, "\n") {
				if strings.HasPrefix(line, "| "+`R\<1>`) {
					cells := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") - 1
					if cells != 11 && cells != 5 && cells != 7 && cells != 3 {
						t.Errorf("a row with an escaped pipe has %d cells: %s", cells, line)
					}
				}
			}
		}
	}
}
