package report

import (
	"bytes"
	"io"

	"github.com/pacte-sla/pacte/sla"
)

// HTML writes the report as one self-contained page: inline CSS, inline
// SVG charts, no script, no external asset. It holds the content of Text
// and three kinds of chart: the penalties and bonuses due per period,
// stacked by rule; each rule's achieved value against its objective over
// the periods; and, in each period, a waterfall from the raw penalties
// through each step of the pipeline to the amount due.
//
// The page is well-formed XML as well as HTML (every element closed,
// every text escaped), so that it can be checked, and transformed, with
// XML tools.
func HTML(w io.Writer, r *sla.Report, opts Options) error {
	return render(w, r, func(buf *bytes.Buffer) error {
		d := buildDocument(r, opts, true)
		return writeHTML(buf, d, NewFormat(r, opts))
	})
}

const pageCSS = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #222; background: #fff;
  margin: 0 auto; max-width: 1180px; padding: 16px 24px 48px; }
h1 { font-size: 24px; margin: 8px 0 6px; }
h2 { font-size: 19px; margin: 34px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #44546A; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p { margin: 6px 0; max-width: 72em; }
p.small { color: #555; font-size: 12.5px; }
nav { margin: 8px 0 0; font-size: 13px; }
nav a { margin-right: 12px; color: #0b5cad; text-decoration: none; white-space: nowrap; }
nav a:hover { text-decoration: underline; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 4px 0 8px; }
th, td { padding: 3px 10px; text-align: left; vertical-align: top; border-bottom: 1px solid #e3e3e3; }
th { background: #f3f5f8; font-weight: 600; border-bottom: 2px solid #c9ced6; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.nw { white-space: nowrap; }
tfoot td { font-weight: 600; border-top: 2px solid #c9ced6; border-bottom: none; }
tr.breached td { background: #fdecea; }
tr.breached td:first-child { box-shadow: inset 3px 0 #C0392B; font-weight: 600; }
tr.na td { color: #767676; }
tr.nodata td { color: #767676; font-style: italic; }
dl.fields { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; margin: 6px 0; }
dl.fields dt { color: #555; }
dl.fields dd { margin: 0; font-variant-numeric: tabular-nums; }
figure { margin: 10px 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 10px 14px; }
.grid figure { margin: 0; }
svg { max-width: 100%; height: auto; display: block; }
section.period { border-top: 1px solid #d0d7de; margin-top: 28px; }
footer { margin-top: 40px; color: #767676; font-size: 12px; }
@media (max-width: 640px) {
  body { padding: 10px 10px 32px; }
  /* A row becomes a block, each cell a line with its column's name, so
     that no amount is off-screen. */
  .table-wrap table, .table-wrap tbody, .table-wrap tfoot, .table-wrap tr, .table-wrap td { display: block; }
  .table-wrap thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  .table-wrap tr { border-bottom: 1px solid #c9ced6; padding: 4px 0; }
  .table-wrap td { border: none; padding: 1px 4px; text-align: left; }
  .table-wrap td:empty { display: none; }
  .table-wrap td[data-label]::before { content: attr(data-label) ": "; color: #555; }
  .table-wrap td[data-label]:lang(fr)::before { content: attr(data-label) "\a0: "; }
}
@media print { nav { display: none; } section.period { break-before: page; } }
`

func writeHTML(buf *bytes.Buffer, d *document, f Format) error {
	lang := "en"
	if f.Locale.language() == French {
		lang = "fr"
	}
	buf.WriteString("<!DOCTYPE html>\n")
	buf.WriteString(`<html lang="` + lang + `" xmlns="http://www.w3.org/1999/xhtml">` + "\n")
	buf.WriteString("<head>\n<meta charset=\"utf-8\"/>\n")
	buf.WriteString(`<meta name="viewport" content="width=device-width, initial-scale=1"/>` + "\n")
	buf.WriteString("<title>" + escapeHTML(d.title) + "</title>\n")
	buf.WriteString("<style>" + pageCSS + "</style>\n</head>\n<body>\n")
	buf.WriteString("<header>\n<h1>" + escapeHTML(d.title) + "</h1>\n")
	// The header's fields, then a table of contents.
	rest := d.blocks
	if len(rest) > 0 {
		if fl, ok := rest[0].(fields); ok {
			writeFields(buf, fl)
			rest = rest[1:]
		}
	}
	buf.WriteString("<nav>")
	for _, b := range rest {
		if h, ok := b.(heading); ok && h.id != "" {
			buf.WriteString(`<a href="#` + escapeHTML(h.id) + `">` + escapeHTML(h.text) + "</a> ")
		}
	}
	buf.WriteString("</nav>\n</header>\n<main>\n")
	var open []string
	for i, b := range rest {
		switch b := b.(type) {
		case heading:
			tag := "h3"
			if b.level <= 2 {
				tag = "h2"
			}
			buf.WriteString("<" + tag)
			if b.id != "" {
				buf.WriteString(` id="` + escapeHTML(b.id) + `"`)
			}
			buf.WriteString(">" + escapeHTML(b.text) + "</" + tag + ">\n")
		case para:
			class := ""
			if i > 0 {
				if _, ok := rest[i-1].(tableBlock); ok {
					class = ` class="small"`
				}
			}
			buf.WriteString("<p" + class + ">" + escapeHTML(b.text) + "</p>\n")
		case fields:
			writeFields(buf, b)
		case list:
			buf.WriteString("<ul>\n")
			for _, it := range b.items {
				buf.WriteString("<li>" + escapeHTML(it) + "</li>\n")
			}
			buf.WriteString("</ul>\n")
		case tableBlock:
			buf.WriteString(`<div class="table-wrap">` + "\n")
			if err := b.t.WriteHTML(buf); err != nil {
				return err
			}
			buf.WriteString("</div>\n")
		case chartBlock:
			buf.WriteString(`<figure class="chart ` + escapeHTML(b.class) + `">` + "\n")
			if err := b.svg(buf); err != nil {
				return err
			}
			buf.WriteString("</figure>\n")
		case groupBlock:
			if b.open {
				tag := "div"
				if b.class == "period" {
					tag = "section"
				}
				open = append(open, tag)
				buf.WriteString("<" + tag + ` class="` + escapeHTML(b.class) + `">` + "\n")
			} else if len(open) > 0 {
				buf.WriteString("</" + open[len(open)-1] + ">\n")
				open = open[:len(open)-1]
			}
		}
	}
	for len(open) > 0 {
		buf.WriteString("</" + open[len(open)-1] + ">\n")
		open = open[:len(open)-1]
	}
	buf.WriteString("</main>\n<footer>" + escapeHTML(f.tr("Rendered by pacte.")) + "</footer>\n</body>\n</html>\n")
	return nil
}

func writeFields(buf *bytes.Buffer, fl fields) {
	buf.WriteString(`<dl class="fields">` + "\n")
	for i, k := range fl.keys {
		buf.WriteString("<dt>" + escapeHTML(k) + "</dt><dd>" + escapeHTML(fl.values[i]) + "</dd>\n")
	}
	buf.WriteString("</dl>\n")
}
