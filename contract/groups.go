package contract

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr/ast"
	"github.com/pacte-sla/pacte/dsl"
	"github.com/pacte-sla/pacte/internal/diag"
	"go.yaml.in/yaml/v3"
)

// ErrCycle is the code of a contract whose rules and groups depend on
// each other in a circle: "A → B → A".
var ErrCycle = errors.New("dependency cycle")

// StepGroup is the trace line of a group's amounts: which members were
// breached and which carried a penalty. It is not a step of the order.
const StepGroup Step = "group"

// Group is a family of rules (one indicator declined by priority or by
// site) with clauses of its own over the members' results in each
// period: its formulas are over dsl.Group. A member "carried a penalty"
// in a period when its amount after observation, franchise, repeat and
// rounding, before the caps, is above zero; the group's amounts then go
// through observation, repeat and rounding, its own cap, and enter the
// month, year and term caps like the rules' amounts.
type Group struct {
	ID      string
	Name    string
	Clause  string
	Pos     Position
	Members []string   // rule ids, in the file's order
	Period  PeriodKind // the members' period

	// Penalty and Bonus are amount components over dsl.Group: a penalty
	// applies by default when a member was breached, a bonus when every
	// member was measured and none breached.
	Penalty []Component
	Bonus   []Component
	// Cap bounds the group's penalty in a period (the rule_caps step).
	Cap Expr
	// Repeat escalates the group's penalty when a member was breached
	// Consecutive periods in a row; nil: the pipeline's repeat applies.
	Repeat *Repeat
}

// Reference is a formula of a rule or a group reading another's result:
// result("To", Offset).
type Reference struct {
	From   string // the rule or group whose formula reads
	To     string
	Offset int // 0 for the same period, -1 for the one before…
	Pos    Position
}

// Groups returns the contract's rule groups, in the file's order.
func (c *Contract) Groups() []Group {
	out := make([]Group, len(c.groups))
	for i, g := range c.groups {
		g.Members = slices.Clone(g.Members)
		g.Penalty, g.Bonus = cloneComponents(g.Penalty), cloneComponents(g.Bonus)
		out[i] = g
	}
	return out
}

// Group returns the group with this id.
func (c *Contract) Group(id string) (Group, bool) {
	for _, g := range c.Groups() {
		if g.ID == id {
			return g, true
		}
	}
	return Group{}, false
}

// References returns every result() read of the contract's formulas.
func (c *Contract) References() []Reference { return slices.Clone(c.refs) }

// EvaluationOrder returns the ids of the rules and groups in an order
// where each comes after what it reads in the same period (a group after
// its members): the file's order, but for what must come first.
func (c *Contract) EvaluationOrder() []string { return slices.Clone(c.evalOrder) }

// refSite is a result() call found in a formula, with where it is.
type refSite struct {
	ref    Reference
	n      *yaml.Node
	offset int      // rune offset of the name in the node's value
	fields []string // the fields read of the result: achieved, penalty…
	who    string   // "rule X", "group G"
	ok     bool
}

var (
	groupKeys          = []string{"id", "name", "clause", "members", "penalty", "bonus", "cap", "repeat"}
	groupComponentKeys = []string{"when", "amount", "max"}
)

// buildGroups reads the groups, then checks every reference of the
// contract's formulas and orders the rules and groups by what they read.
func (c *Contract) buildGroups(d *decoder, n, pipeline *yaml.Node) {
	seen := map[string]bool{}
	for _, r := range c.rules {
		seen[r.ID] = true
	}
	if n != nil {
		items := d.list(n, "groups")
		if len(items) > MaxRules {
			d.fail(n, ErrInvalid, "", "%d groups, more than the %d a contract may have", len(items), MaxRules)
			items = nil
		}
		for _, item := range items {
			if g, ok := c.buildGroup(d, item, seen); ok {
				c.groups = append(c.groups, g)
			}
		}
	}
	c.checkReferences(d)
	c.checkUnits(d)
	c.orderEvaluation(d)
	if len(c.groups) > 0 || len(c.refs) > 0 {
		c.checkPipelineOrder(d, pipeline)
	}
}

func (c *Contract) buildGroup(d *decoder, n *yaml.Node, seen map[string]bool) (Group, bool) {
	f := d.fields(n, "a group", groupKeys...)
	g := Group{Pos: d.pos(n)}
	if f["id"] == nil {
		d.fail(n, ErrSchema, "id: QUALITY", "a group needs an id")
		return g, false
	}
	g.ID = d.text(f["id"], "id")
	if !ruleID.MatchString(g.ID) {
		d.fail(f["id"], ErrInvalid, idHint(g.ID), "group id %q: letters A to Z, digits, '.', '_' and '-' only, starting with a letter or a digit", g.ID)
		return g, false
	}
	if seen[g.ID] {
		d.fail(f["id"], ErrDuplicate, "", "group id %q is already the id of a rule or a group", g.ID)
		return g, false
	}
	seen[g.ID] = true
	if f["name"] != nil {
		g.Name = d.text(f["name"], "name")
	}
	if f["clause"] != nil {
		g.Clause = d.text(f["clause"], "clause")
	}
	if !c.groupMembers(d, n, f["members"], &g) {
		return g, false
	}
	s := scope{d: d, c: c, rule: "group " + g.ID, owner: g.ID, units: groupUnits}
	if p := f["penalty"]; p != nil {
		g.Penalty = groupComponents(s, p, "penalty")
	}
	if b := f["bonus"]; b != nil {
		g.Bonus = groupComponents(s, b, "bonus")
	}
	if cp := f["cap"]; cp != nil {
		g.Cap = expression[dsl.Group](s, cp, "cap", dsl.Decimal)
	}
	if rp := f["repeat"]; rp != nil {
		g.Repeat = buildRepeat(d, rp)
	}
	return g, true
}

// groupMembers reads a group's members: rules of the contract, each
// once, of one period.
func (c *Contract) groupMembers(d *decoder, n, m *yaml.Node, g *Group) bool {
	if m == nil {
		d.fail(n, ErrSchema, "members: [QUAL-P1, QUAL-P2]", "group %s needs its members", g.ID)
		return false
	}
	ok := true
	var known []string
	for _, r := range c.rules {
		known = append(known, r.ID)
	}
	for _, item := range d.list(m, "members") {
		id := d.text(item, "member")
		r, found := c.Rule(id)
		switch {
		case !found:
			hint := ""
			if s := closest(id, known); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			}
			d.fail(item, ErrReference, hint, "group %s: unknown rule %q (a group's members are rules)", g.ID, id)
			ok = false
		case slices.Contains(g.Members, id):
			d.fail(item, ErrDuplicate, "", "group %s: rule %q is listed twice", g.ID, id)
		case g.Period != "" && r.Period != g.Period:
			d.fail(item, ErrInvalid, "", "group %s: rule %s is measured per %s, the members before it per %s: a group's members share their period",
				g.ID, id, r.Period, g.Period)
			ok = false
		default:
			g.Members = append(g.Members, id)
			g.Period = r.Period
		}
	}
	if ok && len(g.Members) == 0 {
		d.fail(m, ErrSchema, "members: [QUAL-P1, QUAL-P2]", "group %s has no members", g.ID)
		ok = false
	}
	return ok
}

// groupComponents reads a group's penalty or bonus: a formula, a
// component {when, amount, max}, or a list of them that add up.
func groupComponents(s scope, n *yaml.Node, what string) []Component {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = s.d.list(n, what)
	}
	var out []Component
	for _, item := range items {
		comp := Component{Pos: s.d.pos(item), Form: FormAmount}
		if item.Kind == yaml.ScalarNode {
			comp.Amount = expression[dsl.Group](s, item, what, dsl.Decimal)
			out = append(out, comp)
			continue
		}
		f := s.d.fields(item, what, groupComponentKeys...)
		if f["amount"] == nil {
			s.d.fail(item, ErrSchema, "amount: 1% * invoice", "%s: a %s needs an amount (a group's components are amounts)", s.rule, what)
			continue
		}
		comp.Amount = expression[dsl.Group](s, f["amount"], what, dsl.Decimal)
		if w := f["when"]; w != nil {
			comp.When = expression[dsl.Group](s, w, what+" when", dsl.Bool)
		}
		if x := f["max"]; x != nil {
			comp.Max = expression[dsl.Group](s, x, what+" max", dsl.Decimal)
		}
		out = append(out, comp)
	}
	return out
}

// noteReferences records the result() calls of a compiled formula, to
// be checked once every rule and group is known.
func noteReferences(s scope, n *yaml.Node, text string, tree ast.Node) {
	reads := readsOf(tree)
	walkCalls(tree, func(call *ast.CallNode) {
		site := refSite{n: n, ref: Reference{From: s.owner}, fields: reads.fields[call], who: s.rule}
		args := call.Arguments
		if len(args) > 0 {
			if id, ok := args[0].(*ast.IdentifierNode); ok && id.Value == "$env" {
				args = args[1:]
			}
		}
		name, named := stringArg(args, 0)
		offset, offsetOK := intArg(args, 1)
		if len(args) < 2 {
			offset, offsetOK = 0, true
		}
		site.ref.To, site.ref.Offset = name, offset
		site.offset = nameOffset(text, name)
		line, col := s.d.locate(n, site.offset)
		site.ref.Pos = Position{File: s.d.File, Line: line, Column: col}
		switch {
		case s.owner == "":
			s.d.failAt(n, site.offset, ErrInvalid, "", "result() reads other rules' results only in a rule's or a group's penalty, bonus and cap formulas")
		case !named:
			s.d.failAt(n, site.offset, ErrInvalid, `result("P1-RESTORE")`, "%s: result() names a rule or a group by its id, a text in quotes", s.rule)
		case !offsetOK || offset > 0:
			s.d.failAt(n, site.offset, ErrInvalid, `result("P1-RESTORE", -1) for the period before`,
				"%s: result()'s second argument is 0 (this period) or a negative number of periods before it", s.rule)
		case reads.escaped[call]:
			s.d.failAt(n, site.offset, ErrInvalid, `result("P1-RESTORE").breached, or let r = result("P1-RESTORE"); r.breached`,
				"%s: result() is read by its fields, where it is called or through a name let binds it to", s.rule)
		default:
			site.ok = true
		}
		s.d.refs = append(s.d.refs, site)
	})
}

// checkReferences checks that each reference names a rule or a group of
// the same period, and keeps those of the contract.
func (c *Contract) checkReferences(d *decoder) {
	periods := map[string]PeriodKind{}
	measures := map[string][]measureFrom{}
	var known []string
	for _, r := range c.rules {
		periods[r.ID] = r.Period
		measures[r.ID] = []measureFrom{{typ: r.Objective.Type()}}
		for _, v := range r.Versions {
			measures[r.ID] = append(measures[r.ID], measureFrom{typ: v.Rule.Objective.Type(), from: v.From})
		}
		known = append(known, r.ID)
	}
	for _, g := range c.groups {
		periods[g.ID] = g.Period
		known = append(known, g.ID)
	}
	for _, site := range d.refs {
		if !site.ok {
			continue
		}
		from, to := site.ref.From, site.ref.To
		p, found := periods[to]
		switch {
		case !found:
			hint := ""
			if s := closest(to, known); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			}
			d.failAt(site.n, site.offset, ErrReference, hint, "%s: result() of unknown rule or group %q", site.who, to)
		case p != periods[from] && periods[from] != "":
			d.failAt(site.n, site.offset, ErrInvalid, "", "%s is measured per %s and %s per %s: result() reads a rule or a group of the same period",
				site.who, periods[from], to, p)
		case achievedMismatch(site.fields, to, measures) != "":
			d.failAt(site.n, site.offset, dsl.ErrType, achievedMismatch(site.fields, to, measures), "%s: result(%q) has no such measured value", site.who, to)
		default:
			if !slices.Contains(c.refs, site.ref) {
				c.refs = append(c.refs, site.ref)
			}
		}
	}
}

// measureFrom is the type of a rule's measure from a day: its own (from
// is zero) or that of a version.
type measureFrom struct {
	typ  dsl.Type
	from time.Time
}

// achievedMismatch says what to read instead when a reference reads the
// achieved value of the wrong type: achieved_duration is that of a
// duration, achieved that of the other measures; a group has neither. A
// rule whose versions measure values of both kinds has no field that
// reads every period.
func achievedMismatch(fields []string, to string, measures map[string][]measureFrom) string {
	ms, isRule := measures[to]
	var duration, other *measureFrom
	for i := range ms {
		if ms[i].typ == dsl.Duration && duration == nil {
			duration = &ms[i]
		} else if ms[i].typ != dsl.Duration && other == nil {
			other = &ms[i]
		}
	}
	for _, f := range fields {
		if f != "achieved" && f != "achieved_duration" {
			continue
		}
		switch {
		case !isRule:
			return to + " is a group: read its members' results, or penalised, breached, penalty"
		case duration != nil && other != nil:
			then := duration
			if ms[0].typ == dsl.Duration {
				then = other
			}
			return fmt.Sprintf("%s measures a %s, and a %s%s: neither achieved nor achieved_duration reads every period",
				to, ms[0].typ, then.typ, then.since())
		case f == "achieved" && duration != nil:
			return fmt.Sprintf("%s measures a duration%s: read result(%q).achieved_duration", to, duration.since(), to)
		case f == "achieved_duration" && other != nil:
			return fmt.Sprintf("%s measures a %s%s: read result(%q).achieved", to, other.typ, other.since(), to)
		}
	}
	return ""
}

// since says from when a version's measure applies; nothing for the
// rule's own.
func (m measureFrom) since() string {
	if m.from.IsZero() {
		return ""
	}
	return " from " + m.from.Format(time.DateOnly) + " (its version of that day)"
}

// orderEvaluation orders the rules and groups so that each comes after
// what it reads in the same period, refusing every cycle with its path.
func (c *Contract) orderEvaluation(d *decoder) {
	var ids []string
	deps := map[string][]string{}
	for _, r := range c.rules {
		ids = append(ids, r.ID)
	}
	for _, g := range c.groups {
		ids = append(ids, g.ID)
		deps[g.ID] = slices.Clone(g.Members)
	}
	sites := map[[2]string]refSite{}
	for _, site := range d.refs {
		if site.ok && site.ref.Offset == 0 && slices.Contains(c.refs, site.ref) {
			key := [2]string{site.ref.From, site.ref.To}
			if _, dup := sites[key]; !dup {
				sites[key] = site
				deps[site.ref.From] = append(deps[site.ref.From], site.ref.To)
			}
		}
	}
	const (
		unseen = iota
		open
		done
	)
	state := map[string]int{}
	var path []string
	cyclic := false
	var visit func(id string)
	visit = func(id string) {
		state[id] = open
		path = append(path, id)
		for _, dep := range deps[id] {
			switch state[dep] {
			case unseen:
				visit(dep)
			case open: // a reference that closes a cycle: each is reported
				at := slices.Index(path, dep)
				c.reportCycle(d, append(slices.Clone(path[at:]), dep), sites)
				cyclic = true
			}
		}
		path = path[:len(path)-1]
		state[id] = done
		c.evalOrder = append(c.evalOrder, id)
	}
	for _, id := range ids {
		if state[id] == unseen {
			visit(id)
		}
	}
	if cyclic {
		c.evalOrder = nil
	}
}

// reportCycle reports a cycle at the last reference that closes it: a
// cycle has one, since a group's members are rules, which read nothing
// by being members.
func (c *Contract) reportCycle(d *decoder, cycle []string, sites map[[2]string]refSite) {
	for i := len(cycle) - 2; i >= 0; i-- {
		if site, ok := sites[[2]string{cycle[i], cycle[i+1]}]; ok {
			d.failAt(site.n, site.offset, ErrCycle, `a formula may read the results of the periods before its own: result("X", -1)`,
				"rules and groups read each other in a circle: %s", strings.Join(cycle, " → "))
			return
		}
	}
}

// beforeCaps are the steps that make what a rule carried before the caps.
var beforeCaps = []Step{StepObservation, StepFranchise, StepRepeat, StepRounding}

// checkPipelineOrder requires the steps that make what a rule carried to
// come before the caps, when a group or a reference reads it.
func (c *Contract) checkPipelineOrder(d *decoder, pipeline *yaml.Node) {
	order := c.pipeline.Order
	if len(order) >= len(beforeCaps) && !slices.ContainsFunc(order[:len(beforeCaps)], func(s Step) bool { return !slices.Contains(beforeCaps, s) }) {
		return
	}
	at := pipeline
	if pipeline != nil {
		if f := diag.Resolve(pipeline); f != nil && f.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(f.Content); i += 2 {
				if f.Content[i].Value == "order" {
					at = f.Content[i+1]
				}
			}
		}
	}
	d.fail(at, ErrInvalid, "order: [observation, franchise, repeat, rounding, rule_caps, month_cap, year_cap, bonus]",
		"groups and result() read what a rule carried before the caps: observation, franchise, repeat and rounding must come before the caps and the bonus step")
}

// walkCalls calls f on each call of result() in a tree.
func walkCalls(n ast.Node, f func(*ast.CallNode)) {
	ast.Walk(&n, callVisitor(f))
}

type callVisitor func(*ast.CallNode)

func (v callVisitor) Visit(n *ast.Node) {
	if call, ok := (*n).(*ast.CallNode); ok && isResult(call) {
		v(call)
	}
}

// resultReads are the fields read of each result() call of a formula:
// result("X").achieved, or through a name let binds it to (let r =
// result("X"); r.achieved). A call read otherwise (in a list, as a
// branch of ?:, a bound name passed on) escapes: what it reads cannot be
// told, and the type of its achieved value not checked.
type resultReads struct {
	fields  map[*ast.CallNode][]string
	escaped map[*ast.CallNode]bool
}

func readsOf(tree ast.Node) resultReads {
	r := resultReads{fields: map[*ast.CallNode][]string{}, escaped: map[*ast.CallNode]bool{}}
	read := map[ast.Node]bool{}           // the nodes read by a field or bound by let
	bound := map[string][]*ast.CallNode{} // the calls each name is bound to
	ast.Walk(&tree, visitor(func(n ast.Node) {
		switch x := n.(type) {
		case *ast.MemberNode:
			read[x.Node] = true
		case *ast.VariableDeclaratorNode:
			if call, ok := x.Value.(*ast.CallNode); ok && isResult(call) {
				read[call] = true
				bound[x.Name] = append(bound[x.Name], call)
			}
		}
	}))
	ast.Walk(&tree, visitor(func(n ast.Node) {
		switch x := n.(type) {
		case *ast.CallNode:
			if isResult(x) && !read[x] {
				r.escaped[x] = true
			}
		case *ast.IdentifierNode:
			if !read[x] {
				for _, call := range bound[x.Value] {
					r.escaped[call] = true
				}
			}
		case *ast.MemberNode:
			name, ok := x.Property.(*ast.StringNode)
			if !ok {
				break
			}
			calls := bound[identifierName(x.Node)]
			if call, ok := x.Node.(*ast.CallNode); ok && isResult(call) {
				calls = []*ast.CallNode{call}
			}
			for _, call := range calls {
				r.fields[call] = append(r.fields[call], name.Value)
			}
		}
	}))
	return r
}

func identifierName(n ast.Node) string {
	if id, ok := n.(*ast.IdentifierNode); ok {
		return id.Value
	}
	return ""
}

// isResult reports whether a call is one of result().
func isResult(call *ast.CallNode) bool {
	id, ok := call.Callee.(*ast.IdentifierNode)
	return ok && id.Value == "result"
}

type visitor func(ast.Node)

func (v visitor) Visit(n *ast.Node) { v(*n) }

func stringArg(args []ast.Node, i int) (string, bool) {
	if i < len(args) {
		if s, ok := args[i].(*ast.StringNode); ok {
			return s.Value, true
		}
	}
	return "", false
}

func intArg(args []ast.Node, i int) (int, bool) {
	if i >= len(args) {
		return 0, false
	}
	switch a := args[i].(type) {
	case *ast.IntegerNode:
		return a.Value, true
	case *ast.UnaryNode:
		if x, ok := a.Node.(*ast.IntegerNode); ok && a.Operator == "-" {
			return -x.Value, true
		}
	case *ast.ConstantNode:
		if x, ok := a.Value.(int); ok {
			return x, true
		}
	}
	return 0, false
}

// nameOffset is the rune offset of a quoted name in a formula, or of its
// first result( when the name is not found as written.
func nameOffset(text, name string) int {
	at := -1
	if name != "" {
		for _, q := range []string{`"`, `'`, "`"} {
			if i := strings.Index(text, q+name+q); i >= 0 {
				at = i
				break
			}
		}
	}
	if at < 0 {
		at = max(strings.Index(text, "result("), 0)
	}
	return utf8.RuneCountInString(text[:at])
}
