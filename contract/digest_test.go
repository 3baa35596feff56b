package contract

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDigest: the digest follows the contract's meaning, not its text.
func TestDigest(t *testing.T) {
	data, err := os.ReadFile("../examples/contracts/acme.yaml")
	require.NoError(t, err)
	text := string(data)
	parse := func(t *testing.T, text, name string) [32]byte {
		t.Helper()
		c, err := Parse([]byte(text), name)
		require.NoError(t, err)
		return c.Digest()
	}
	base := parse(t, text, "acme.yaml")
	require.Equal(t, base, parse(t, text, "acme.yaml"), "the same contract twice")
	require.Equal(t, base, parse(t, text, "elsewhere/acme-copy.yaml"), "another file name")

	firstObjective := strings.Index(text, "objective:")
	require.Positive(t, firstObjective)
	same := map[string]string{
		"an edited comment": strings.Replace(text, "# ACME Industrie", "# ACME Industrie SAS", 1),
		"a comment added":   "# reviewed\n\n" + text,
		"a line moved down": strings.Replace(text, "\n# §2.", "\n\n\n# §2.", 1),
	}
	for name, edited := range same {
		t.Run(name, func(t *testing.T) {
			require.NotEqual(t, text, edited)
			require.Equal(t, base, parse(t, edited, "acme.yaml"))
		})
	}
	eol := firstObjective + strings.Index(text[firstObjective:], "\n")
	line := text[firstObjective:eol]
	changed := map[string]string{
		"an objective": text[:firstObjective] + strings.Replace(line, "9", "8", 1) + text[eol:],
		"the name":     strings.Replace(text, "name: ", "name: X", 1),
		"a calendar":   strings.Replace(text, "08:00", "07:00", 1),
	}
	for name, edited := range changed {
		t.Run(name, func(t *testing.T) {
			require.NotEqual(t, text, edited, "the edit applies")
			require.NotEqual(t, base, parse(t, edited, "acme.yaml"))
		})
	}
}
