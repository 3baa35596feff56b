package report_test

import (
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/sla/report"
)

const chromium = "/usr/bin/chromium"

// TestHTMLScreenshot renders the page in headless Chromium, where it is
// installed, and checks that the screenshot shows something: many
// colours, a fair share of ink, the breach markers' red and the
// achieved lines' blue.
func TestHTMLScreenshot(t *testing.T) {
	if testing.Short() {
		t.Skip("short mode")
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("no Chromium at " + chromium)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.HTML(f, fixture(t), report.Options{Locale: report.French}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "report.png")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--screenshot="+shot, "--window-size=1200,2000", "file://"+page)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	if dst := os.Getenv("PACTE_SCREENSHOT"); dst != "" {
		// Keep the picture, to look at it.
		if b, err := os.ReadFile(shot); err == nil {
			_ = os.WriteFile(dst, b, 0o644)
		}
	}
	pf, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	img, err := png.Decode(pf)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != 1200 || b.Dy() != 2000 {
		t.Errorf("screenshot is %v, want 1200×2000", b.Size())
	}
	colours := map[[3]uint8]int{}
	ink := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := rgb(img, x, y)
			colours[c]++
			if c[0] < 235 || c[1] < 235 || c[2] < 235 {
				ink++
			}
		}
	}
	share := float64(ink) / float64(b.Dx()*b.Dy())
	t.Logf("%d colours, %.1f %% of the pixels not white", len(colours), 100*share)
	if len(colours) < 50 {
		t.Errorf("only %d colours: the page looks blank", len(colours))
	}
	if share < 0.03 {
		t.Errorf("only %.1f %% of the pixels are not white: the page looks blank", 100*share)
	}
	for name, want := range map[string][3]uint8{"breach red": {0xC0, 0x39, 0x2B}, "achieved blue": {0x00, 0x72, 0xB2}} {
		if n := near(colours, want, 12); n < 20 {
			t.Errorf("%d pixels of the %s %v: the charts did not draw", n, name, want)
		}
	}
}

func rgb(img image.Image, x, y int) [3]uint8 {
	r, g, b, _ := img.At(x, y).RGBA()
	return [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}
}

// near counts the pixels within tol of a colour on each channel.
func near(colours map[[3]uint8]int, want [3]uint8, tol int) int {
	n := 0
	for c, k := range colours {
		ok := true
		for i := range 3 {
			if d := int(c[i]) - int(want[i]); d > tol || d < -tol {
				ok = false
			}
		}
		if ok {
			n += k
		}
	}
	return n
}
