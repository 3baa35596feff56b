package contract

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestGroupsLoad(t *testing.T) {
	c := mustLoad(t, "testdata/groups.good.yaml")
	g, ok := c.Group("QUALITY")
	require.True(t, ok)
	require.Equal(t, []string{"QUAL-P1", "QUAL-P2"}, g.Members)
	require.Equal(t, "Ticket quality, all priorities", g.Name)
	require.Equal(t, "§6.3", g.Clause)
	require.Equal(t, Month, g.Period)
	require.Len(t, g.Penalty, 1)
	require.Equal(t, "penalised && result(\"QUALITY\", -1).penalised", g.Penalty[0].When.Text)
	require.Len(t, g.Bonus, 1)
	require.Equal(t, "150", g.Cap.Text)
	require.NotNil(t, g.Repeat)
	require.Equal(t, 3, g.Repeat.Consecutive)

	refs := c.References()
	require.Len(t, refs, 3)
	require.Equal(t, Reference{From: "BACKLOG", To: "QUALITY", Offset: 0, Pos: Position{File: "testdata/groups.good.yaml", Line: 23, Column: 33}}, refs[0])
	require.Equal(t, -1, refs[1].Offset)
	// A group comes after its members, a rule after the group it reads.
	require.Equal(t, []string{"QUAL-P1", "QUAL-P2", "QUALITY", "BACKLOG"}, c.EvaluationOrder())

	// What the accessors return is a copy.
	g.Members[0] = "X"
	again, _ := c.Group("QUALITY")
	require.Equal(t, "QUAL-P1", again.Members[0])
	_, ok = c.Group("NOPE")
	require.False(t, ok)
}

// The evaluation order does not depend on the order the file declares
// the rules in, but for rules that read nothing, kept in the file's order.
func TestEvaluationOrderDependsOnReads(t *testing.T) {
	text := testHead + `rules:
  - {id: C, source: tickets, objective: share(level == 1) >= 90%, penalty: 'result("B").penalised ? 1 : 0'}
  - {id: B, source: tickets, objective: share(level == 1) >= 90%, penalty: 'result("A").penalised ? 1 : 0'}
  - {id: A, source: tickets, objective: share(level == 1) >= 90%, penalty: 'result("C", -1).penalised ? 1 : 0'}
`
	c, err := Parse([]byte(text), "t.yaml")
	require.NoError(t, err)
	require.Equal(t, []string{"A", "B", "C"}, c.EvaluationOrder())
}

func TestDigestCoversGroups(t *testing.T) {
	data, err := os.ReadFile("testdata/groups.good.yaml")
	require.NoError(t, err)
	text := string(data)
	digest := func(text string) [32]byte {
		c, err := Parse([]byte(text), "g.yaml")
		require.NoError(t, err)
		return c.Digest()
	}
	base := digest(text)
	for name, edited := range map[string]string{
		"a member":         strings.Replace(text, "members: [QUAL-P1, QUAL-P2]", "members: [QUAL-P1]", 1),
		"a group's amount": strings.Replace(text, "amount: 1% * invoice", "amount: 2% * invoice", 1),
		"a group's cap":    strings.Replace(text, "cap: 150", "cap: 160", 1),
		"a reference":      strings.Replace(text, `result("BACKLOG", -1)`, `result("BACKLOG", -2)`, 1),
		"the repeat":       strings.Replace(text, "factor: 1.5", "factor: 2", 1),
	} {
		t.Run(name, func(t *testing.T) {
			require.NotEqual(t, text, edited)
			require.NotEqual(t, base, digest(edited))
		})
	}
	// A contract without groups keeps its digest: the states it wrote still read.
	withoutGroups := text[:strings.Index(text, "groups:")]
	withoutGroups = strings.Replace(withoutGroups, `result("QUALITY").penalised || `, "", 1)
	c, err := Parse([]byte(withoutGroups), "g.yaml")
	require.NoError(t, err)
	require.Empty(t, c.Groups())
}

// A group names a family of rules; result() reads another rule's result.
func ExampleContract_Groups() {
	c, err := Parse([]byte(`contract: Service desk
term: {start: 2027-01-01, end: 2027-12-31}
timezone: Europe/Paris
rules:
  - {id: QUAL-P1, source: tickets, scope: priority == "P1", objective: share(satisfaction >= 4) >= 90%, penalty: 500}
  - {id: QUAL-P2, source: tickets, scope: priority == "P2", objective: share(satisfaction >= 4) >= 85%, penalty: 300}
  - id: REPORTS
    source: tickets
    objective: share(attrs["report"] != "") >= 90%
    penalty: 'result("QUALITY").penalised ? 400 : 200'
groups:
  - id: QUALITY
    members: [QUAL-P1, QUAL-P2]
    penalty: {when: penalised_in_a_row >= 2, amount: 1% * invoice}
`), "desk.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range c.Groups() {
		fmt.Println(g.ID, g.Members, g.Period)
	}
	for _, r := range c.References() {
		fmt.Printf("%s reads %s (period %+d) at %s\n", r.From, r.To, r.Offset, r.Pos)
	}
	fmt.Println(c.EvaluationOrder())
	// Output:
	// QUALITY [QUAL-P1 QUAL-P2] month
	// REPORTS reads QUALITY (period +0) at desk.yaml:10:22
	// [QUAL-P1 QUAL-P2 QUALITY REPORTS]
}
