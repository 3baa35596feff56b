package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/sla/report"
	"github.com/stretchr/testify/require"
)

// measureScript measures the page as laid out, and writes what it found
// into the page that frames it (or itself), as JSON in <pre
// id="pacte-measure">, for --dump-dom to show: the amount cells off-screen (beyond the window or the box that
// scrolls them), and the ids and dates (cells of class nw) laid out on
// more than one line.
const measureScript = `<script>
(function () {
  var W = document.documentElement.clientWidth;
  var out = {width: W, amounts: 0, offscreen: [], whole: 0, broken: []};
  document.querySelectorAll("td.num").forEach(function (td) {
    var text = td.textContent.trim();
    if (!text) return;
    out.amounts++;
    var r = td.getBoundingClientRect(), right = W;
    var wrap = td.closest(".table-wrap");
    if (wrap) right = Math.min(right, wrap.getBoundingClientRect().right);
    if (r.right > right + 1 || r.left < -1) out.offscreen.push(text);
  });
  document.querySelectorAll("td.nw").forEach(function (td) {
    var range = document.createRange();
    range.selectNodeContents(td);
    var tops = {};
    Array.prototype.forEach.call(range.getClientRects(), function (r) { if (r.width > 0) tops[Math.round(r.top)] = true; });
    out.whole++;
    if (Object.keys(tops).length > 1) out.broken.push(td.textContent.trim());
  });
  var pre = document.createElement("pre");
  pre.id = "pacte-measure";
  pre.textContent = JSON.stringify(out);
  var host = window.parent && window.parent !== window ? window.parent.document : document;
  host.body.appendChild(pre);
})();
</script>
`

// measure is what measureScript finds.
type measure struct {
	Width     int      `json:"width"`
	Amounts   int      `json:"amounts"`
	Offscreen []string `json:"offscreen"`
	Whole     int      `json:"whole"`
	Broken    []string `json:"broken"`
}

// parseMeasure finds what measureScript wrote in a page dumped by
// Chromium.
func parseMeasure(dom string) (measure, error) {
	var m measure
	_, rest, ok := strings.Cut(dom, `<pre id="pacte-measure">`)
	if !ok {
		return m, errors.New("no measure in the page: the script did not run")
	}
	text, _, ok := strings.Cut(rest, "</pre>")
	if !ok {
		return m, errors.New("the measure is not closed")
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(text)), &m); err != nil {
		return m, fmt.Errorf("the measure: %w", err)
	}
	return m, nil
}

// check says what is wrong with a page's layout at a width.
func (m measure) check(width int) error {
	var errs []error
	if m.Width == 0 || m.Width > width {
		errs = append(errs, fmt.Errorf("the page is %d px wide, want at most %d", m.Width, width))
	}
	if m.Amounts == 0 || m.Whole == 0 {
		errs = append(errs, fmt.Errorf("measured %d amounts and %d ids or dates: the page lost its classes", m.Amounts, m.Whole))
	}
	if len(m.Offscreen) > 0 {
		errs = append(errs, fmt.Errorf("%d amounts off-screen at %d px, such as %q", len(m.Offscreen), width, m.Offscreen[0]))
	}
	if len(m.Broken) > 0 {
		errs = append(errs, fmt.Errorf("%d ids or dates broken across lines at %d px, such as %q", len(m.Broken), width, m.Broken[0]))
	}
	return errors.Join(errs...)
}

func TestParseMeasure(t *testing.T) {
	m, err := parseMeasure(`<html><body><p>x</p><pre id="pacte-measure">{"width":420,"amounts":3,"offscreen":["1&nbsp;050,00"],"whole":2,"broken":["INC-P1"]}</pre></body></html>`)
	require.NoError(t, err)
	require.Equal(t, measure{Width: 420, Amounts: 3, Offscreen: []string{"1\u00a0050,00"}, Whole: 2, Broken: []string{"INC-P1"}}, m)
	err = m.check(420)
	require.ErrorContains(t, err, `1 amounts off-screen at 420 px, such as "1\u00a0050,00"`)
	require.ErrorContains(t, err, `1 ids or dates broken across lines at 420 px, such as "INC-P1"`)
	require.NoError(t, measure{Width: 420, Amounts: 3, Whole: 2}.check(420))
	require.Error(t, measure{Width: 420}.check(420), "nothing measured is a failure")
	require.Error(t, measure{Width: 1400, Amounts: 1, Whole: 1}.check(420), "a page wider than the window")
	_, err = parseMeasure("<html><body></body></html>")
	require.ErrorContains(t, err, "did not run")
	_, err = parseMeasure(`<pre id="pacte-measure">{"width":</pre>`)
	require.Error(t, err)
}

// TestHTMLMarksWhatMustNotBreak: without a browser, the page gives the
// layout what it needs: ids and dates in cells that do not wrap, every
// data cell its column's name for the narrow layout, amounts right-aligned
// cells, and the rules that make rows blocks on a narrow screen.
func TestHTMLMarksWhatMustNotBreak(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, report.HTML(&buf, fixture(t), report.Options{Locale: report.French}))
	page := buf.String()
	for _, s := range []string{`<td class="nw" data-label="règle">INC-P1</td>`, `data-label="le">2027-04-`, `td.nw { white-space: nowrap; }`,
		`@media (max-width: 640px)`, `td[data-label]::before { content: attr(data-label)`, `<td class="num" data-label="pénalité €">`} {
		require.Contains(t, page, s)
	}
	require.NotContains(t, page, `<td data-label="le">2027-`, "a date that may wrap")
}

// TestHTMLLayoutInChromium lays the page out in headless Chromium at
// 1,400 and 420 px and measures it: no amount off-screen, no id or date
// broken across lines. Without Chromium it is skipped, unless CI is set,
// where Chromium is installed and its absence is a failure.
func TestHTMLLayoutInChromium(t *testing.T) {
	browser, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set, and Chromium is not installed: the layout test cannot run")
		}
		t.Skip("no Chromium on this machine")
	}
	var buf bytes.Buffer
	require.NoError(t, report.HTML(&buf, fixture(t), report.Options{Locale: report.French}))
	page := strings.Replace(buf.String(), "</body>", measureScript+"</body>", 1)
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	for _, width := range []int{1400, 420} {
		// Headless Chromium's window is 500 px wide at least: the page is
		// laid out in a frame of the width measured, whose document has
		// the frame's origin (srcdoc) and so may write into it.
		framed := fmt.Sprintf(`<!DOCTYPE html><html><body style="margin:0"><iframe style="border:0;display:block" width="%d" height="3000" srcdoc="%s"></iframe></body></html>`,
			width, html.EscapeString(page))
		require.NoError(t, os.WriteFile(path, []byte(framed), 0o644))
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		cmd := exec.CommandContext(ctx, browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
			"--user-data-dir="+filepath.Join(dir, "profile"), fmt.Sprintf("--window-size=%d,2000", max(width, 500)), "--dump-dom", "file://"+path)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		cancel()
		require.NoError(t, err, "chromium: %s", errOut.String())
		m, err := parseMeasure(out.String())
		require.NoError(t, err)
		require.NoError(t, m.check(width))
	}
}
