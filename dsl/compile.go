package dsl

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/builtin"
	exprchecker "github.com/expr-lang/expr/checker"
	"github.com/expr-lang/expr/compiler"
	"github.com/expr-lang/expr/conf"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/optimizer"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
	"github.com/pacte-sla/pacte/calendar"
	"github.com/pacte-sla/pacte/internal/exact"
	"github.com/rickar/cal/v2"
	"github.com/shopspring/decimal"
)

// Env is the set of environments an expression can be compiled against.
type Env interface {
	Ticket | Call | Outage | Sample | StatusChange | Period[decimal.Decimal] | Period[time.Duration] | Period[int] | Group
}

// Type is the type of an expression's value.
type Type int

// The types of values.
const (
	Unknown Type = iota
	Bool
	Int
	String
	Decimal
	Duration
	Time
	Other // lists, maps, links: values that only occur inside expressions
)

func (t Type) String() string {
	switch t {
	case Bool:
		return "bool"
	case Int:
		return "int"
	case String:
		return "string"
	case Decimal:
		return "decimal"
	case Duration:
		return "duration"
	case Time:
		return "time"
	case Other:
		return "other"
	}
	return "unknown"
}

var (
	reflectDecimal  = reflect.TypeFor[decimal.Decimal]()
	reflectDuration = reflect.TypeFor[time.Duration]()
	reflectTime     = reflect.TypeFor[time.Time]()
	reflectBool     = reflect.TypeFor[bool]()
	reflectInt      = reflect.TypeFor[int]()
	reflectString   = reflect.TypeFor[string]()
)

func typeOf(t reflect.Type) Type {
	switch {
	case t == nil:
		return Unknown
	case t == reflectDecimal:
		return Decimal
	case t == reflectDuration:
		return Duration
	case t == reflectTime:
		return Time
	}
	// Exact types only: a time.Month is an int to reflect, not to the
	// typed accessors.
	switch t {
	case reflectBool:
		return Bool
	case reflectInt:
		return Int
	case reflectString:
		return String
	}
	if t.Kind() == reflect.Interface {
		return Unknown
	}
	return Other
}

// Option configures [Compile].
type Option func(*config) error

type config struct {
	calendars map[string]*calendar.Calendar
	ruleCal   *calendar.Calendar
	zone      *time.Location
	// holidays are the holiday lists the civil-day functions of the
	// expression name, by their codes joined with "|", read when it
	// compiles.
	holidays  map[string][]*cal.Holiday
	units     map[string]bool
	expect    Type
	maxNodes  uint
	maxLength int
	budget    uint
	costLimit uint64

	// itemFees: fee() may be called in an expression about an item (a
	// per-item amount); item: the expression is about an item.
	itemFees, item bool

	// lets are the names the expression being checked declares with let:
	// unlike the environment's fields, they may hold nil.
	lets map[string]bool
}

// Default limits of an expression.
const (
	DefaultMaxNodes     = 500     // AST nodes; a long contract clause has about 50
	DefaultMaxLength    = 4000    // characters of source
	DefaultMemoryBudget = 100_000 // units of expr's VM memory accounting, per evaluation
)

// Calendars names the calendars an expression may name in its clock
// functions, as in open_time("HO", a, b).
func Calendars(named map[string]*calendar.Calendar) Option {
	return func(c *config) error {
		c.calendars = named
		return nil
	}
}

// RuleCalendar is the calendar of clock functions called without a name,
// such as open_time(a, b): the rule's own calendar.
func RuleCalendar(cal *calendar.Calendar) Option {
	return func(c *config) error {
		c.ruleCal = cal
		return nil
	}
}

// Zone is the time zone of the civil-day functions (date_of,
// days_between…): the contract's. Without it, they read dates in UTC.
func Zone(loc *time.Location) Option {
	return func(c *config) error {
		c.zone = loc
		return nil
	}
}

// location is the zone of civil dates.
func (c *config) location() *time.Location {
	if c.zone == nil {
		return time.UTC
	}
	return c.zone
}

// ItemFees lets an expression about an item call fee(): a per-item amount
// proportional to the invoice of work units. The engine gives the item's
// environment the fees of its period.
func ItemFees() Option {
	return func(c *config) error {
		c.itemFees = true
		return nil
	}
}

// WorkUnits lists the work units fee() accepts.
func WorkUnits(names ...string) Option {
	return func(c *config) error {
		c.units = make(map[string]bool, len(names))
		for _, n := range names {
			c.units[n] = true
		}
		return nil
	}
}

// Expect requires the expression's type: a condition is a [Bool], an
// amount a [Decimal] (integers are accepted and converted).
func Expect(t Type) Option {
	return func(c *config) error {
		c.expect = t
		return nil
	}
}

// Limits sets the maximum number of syntax-tree nodes, the maximum
// length of the source in characters, and the VM's memory budget per
// evaluation. Zero keeps a default.
func Limits(maxNodes uint, maxLength int, memoryBudget uint) Option {
	return func(c *config) error {
		if maxNodes > 0 {
			c.maxNodes = maxNodes
		}
		if maxLength > 0 {
			c.maxLength = maxLength
		}
		if memoryBudget > 0 {
			c.budget = memoryBudget
		}
		return nil
	}
}

func (c *config) calendarArg(args []any) (*calendar.Calendar, []any) {
	if name, ok := args[0].(string); ok {
		return c.calendars[name], args[1:]
	}
	return c.ruleCal, args
}

func (c *config) ruleCalendar() *calendar.Calendar { return c.ruleCal }

// Program is a compiled expression. It is immutable and safe for
// concurrent use; each goroutine evaluating it uses a VM of its own, taken
// from a pool.
type Program[E Env] struct {
	source  string
	rw      *rewritten // the source as expr reads it, for CheckUnits
	typ     Type
	prog    *vm.Program
	budget  uint
	runners *sync.Pool // of *runner

	// The cost of an evaluation: known when it compiled (base), and
	// charged as it runs when metered, against limit.
	base, limit uint64
	metered     bool
}

// runner is what one evaluation needs: a VM and the meter of its cost.
type runner struct {
	vm    vm.VM
	meter meter
}

// Source returns the expression as written.
func (p *Program[E]) Source() string { return p.source }

// Type returns the type of the expression's value.
func (p *Program[E]) Type() Type { return p.typ }

// Tree returns the expression's syntax tree as the compiler checked it,
// every node typed: for tools that analyse an expression or compile it
// further. Literals are constants in it, and the operators on decimals,
// integers, durations and texts calls of the functions that implement
// them (__add, __add_int, __div, __concat…); functions that read the
// record take $env first, as do the calls that charge the cost of
// predicates over lists of unknown length (__pacte_visit and the others
// of the same prefix), which return their second argument. The tree
// belongs to the program and must not be modified.
func (p *Program[E]) Tree() ast.Node { return p.prog.Node() }

// Compile compiles an expression against the environment E, checking
// names and types. It reports every error it finds in the source as an
// [*Error] (in an [ErrorList] when there are several).
func Compile[E Env](source string, opts ...Option) (*Program[E], error) {
	cfg, rw, err := prepare(source, opts)
	if err != nil {
		return nil, err
	}
	return compile[E](source, cfg, rw)
}

// prepare reads the options and rewrites the literals of a source.
func prepare(source string, opts []Option) (*config, *rewritten, error) {
	cfg := &config{maxNodes: DefaultMaxNodes, maxLength: DefaultMaxLength, budget: DefaultMemoryBudget, costLimit: DefaultCostLimit}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(cfg); err != nil {
			return nil, nil, err
		}
	}
	if n := utf8.RuneCountInString(source); n > cfg.maxLength {
		return nil, nil, &Error{Code: ErrLimit, Msg: fmt.Sprintf("expression is %d characters long, more than the limit of %d", n, cfg.maxLength), Line: 1, Column: 1}
	}
	if strings.TrimSpace(source) == "" {
		return nil, nil, &Error{Code: ErrSyntax, Msg: "empty expression", Line: 1, Column: 1}
	}
	rw, err := rewriteLiterals(source)
	if err != nil {
		var le *literalError
		if errors.As(err, &le) {
			return nil, nil, positioned(source, le.from, &Error{Code: ErrLiteral, Msg: le.msg, Hint: le.hint})
		}
		return nil, nil, err
	}
	return cfg, rw, nil
}

// compile compiles a prepared source.
func compile[E Env](source string, cfg *config, rw *rewritten) (*Program[E], error) {
	var zero E
	lang := languages[reflect.TypeOf(zero)]
	tree, exprCfg, err := checkRecovered(rw.src, exprOptions(any(zero), cfg, rw, lang))
	if err != nil {
		return nil, convertCompileError(source, rw, lang.names, err)
	}
	node := tree.Node
	switch any(zero).(type) {
	case Ticket, Call, Outage, Sample:
		cfg.item = true
	}
	c := &checker{source: source, rw: rw, cfg: cfg, lang: lang}
	c.check(node)
	typ := typeOf(node.Type())
	if cfg.expect != Unknown && typ != cfg.expect && !(cfg.expect == Decimal && typ == Int) {
		c.errs = append(c.errs, positioned(source, 0, &Error{Code: ErrType,
			Msg: fmt.Sprintf("expected a %s expression, found a %s one", cfg.expect, typeName(node.Type()))}))
	}
	if err := c.errs.Err(); err != nil {
		if len(c.errs) == 1 {
			return nil, c.errs[0]
		}
		return nil, err
	}
	base, metered, costErr, at := meterCost(&tree.Node, cfg.costLimit)
	if costErr != nil {
		offset := 0
		if at != nil {
			offset = rw.originalOffset(at.Location().From)
		}
		return nil, positioned(source, offset, costErr)
	}
	program, err := compileRecovered(tree, exprCfg)
	if err != nil {
		return nil, &Error{Code: ErrSyntax, Msg: err.Error(), Line: 1, Column: 1}
	}
	return &Program[E]{source: source, rw: rw, typ: typ, prog: program, budget: cfg.budget,
		runners: &sync.Pool{New: func() any { return &runner{} }},
		base:    base, limit: cfg.costLimit, metered: metered}, nil
}

// exprOptions configures expr's compiler for the language: the
// environment, the limits, the literals, the patches, the operators on
// decimals, integers, durations and texts, and the functions.
func exprOptions(env any, cfg *config, rw *rewritten, lang *language) []expr.Option {
	options := []expr.Option{
		expr.Env(env),
		expr.MaxNodes(cfg.maxNodes),
		expr.Function(durationLiteral, func(args ...any) (any, error) { return rw.literals[args[0].(int)], nil }, new(func(int) time.Duration)),
		expr.Function(decimalLiteral, func(args ...any) (any, error) { return rw.literals[args[0].(int)], nil }, new(func(int) decimal.Decimal)),
		expr.Patch(&literalPatcher{values: rw.literals}),
		expr.Patch(&envArgPatcher{names: lang.envFuncs}),
		expr.Patch(&negationPatcher{}),
		expr.Patch(&conditionalPatcher{}),
		expr.Patch(&membershipPatcher{}),
		expr.Patch(getPatcher{}),
		expr.Patch(notFoundPatcher{}),
		expr.Patch(maybeNilPatcher{}),
		expr.Patch(&aggregatePatcher{}),
		lang.install,
	}
	for _, o := range overloads {
		options = append(options, expr.Operator(o.op, o.fn))
	}
	for _, f := range lang.defs {
		if f.readsConfig() {
			impl := f.impl
			options = append(options, expr.Function(f.name, func(args ...any) (any, error) { return impl(cfg, args) }, f.types...))
		}
	}
	// Last, after the operator overloads (expr.Operator adds a patcher
	// too): it makes the final pass of the checker type every call again,
	// from its arguments as the patches left them. The checker does not
	// look into the arguments of a call it has already typed, so a call
	// typed by an earlier pass would hide an unknown name among them.
	return append(options, expr.Patch(&retypePatcher{}))
}

// language is what the compiler needs of an environment, computed once:
// its functions, the names it knows, and expr's view of the functions
// that read no option of compilation, shared by every program.
type language struct {
	defs     []funcDef
	names    []string        // for suggestions
	envFuncs map[string]bool // the functions that take $env first
	embedded map[string]bool // the Go names of the environment's embedded structs
	shared   []*builtin.Function
}

// languages are the languages of the environments.
var languages = func() map[reflect.Type]*language {
	m := map[reflect.Type]*language{}
	for _, env := range []any{Ticket{}, Call{}, Outage{}, Sample{}, StatusChange{},
		Period[decimal.Decimal]{}, Period[time.Duration]{}, Period[int]{}, Group{}} {
		t := reflect.TypeOf(env)
		defs := functionsFor(env)
		l := &language{defs: defs, names: knownNames(t, defs), envFuncs: envFuncNames(defs), embedded: embeddedNames(t)}
		for _, o := range overloads {
			impl := o.impl
			l.shared = append(l.shared, builtinFunction(o.fn, func(args ...any) (any, error) { return impl(args[0], args[1]) }, o.types))
		}
		for _, f := range defs {
			if !f.readsConfig() {
				impl := f.impl
				l.shared = append(l.shared, builtinFunction(f.name, func(args ...any) (any, error) { return impl(nil, args) }, f.types))
			}
		}
		l.shared = append(l.shared, builtinFunction(untyped, func(args ...any) (any, error) { return args[0], nil }, []any{new(func(any) any)}))
		l.shared = append(l.shared, meterFunctions()...)
		m[t] = l
	}
	return m
}()

// install is an expr option: it declares the shared functions and
// disables the builtins the language replaces or forbids.
func (l *language) install(c *conf.Config) {
	for _, f := range l.shared {
		c.Functions[f.Name] = f
	}
	for _, b := range disabledBuiltins {
		c.Disabled[b] = true
		delete(c.Builtins, b)
	}
}

// builtinFunction is what expr.Function declares: a function and its
// signatures, given as pointers to function types.
func builtinFunction(name string, fn func(args ...any) (any, error), types []any) *builtin.Function {
	ts := make([]reflect.Type, len(types))
	for i, t := range types {
		ts[i] = reflect.TypeOf(t).Elem()
	}
	return &builtin.Function{Name: name, Func: fn, Types: ts}
}

// checker gathers the errors of what expr's checker lets through but the
// language does not allow.
type checker struct {
	source string
	rw     *rewritten
	cfg    *config
	lang   *language
	errs   ErrorList
}

// check walks the tree of an expression.
func (c *checker) check(node ast.Node) {
	hidden := c.lang.embedded // let cannot redeclare them either
	envRead := c.declarations(node)
	walk(node, func(n ast.Node) {
		e := checkNode(n, c.cfg, c.lang.defs)
		if id, ok := n.(*ast.IdentifierNode); ok && e == nil && id.Value == "$env" && !envRead[id] {
			e = &Error{Code: ErrType, Msg: "$env is read by name only",
				Hint: `write $env.priority or $env["priority"], or the name alone`}
		}
		if name := embeddedName(n); e == nil && hidden[name] {
			// expr lets an embedded struct be named by its Go type:
			// Ticket.priority would be a second name of priority.
			e = &Error{Code: ErrUnknownName, Msg: "unknown name " + name}
			if s := suggest(name, c.lang.names); s != "" {
				e.Hint = fmt.Sprintf("did you mean %q?", s)
			}
		}
		if e == nil {
			return
		}
		e = positioned(c.source, c.rw.originalOffset(n.Location().From), e)
		// A method call is both a member and a call at the same place.
		if !slices.ContainsFunc(c.errs, func(o *Error) bool { return o.Line == e.Line && o.Column == e.Column && o.Msg == e.Msg }) {
			c.errs = append(c.errs, e)
		}
	})
	for _, chain := range nilChains(node) {
		e := &Error{Code: ErrType, Msg: "an optional chain (?.) is nil when it finds nothing, and nil cannot be used here",
			Hint: "compare it with == or !=, or give it a value for that case: (first(links)?.resolved ?? opened) > opened"}
		c.errs = append(c.errs, positioned(c.source, c.rw.originalOffset(chain.Location().From), e))
	}
}

// declarations records the names the expression declares with let, and
// returns the uses of $env that read it by name: $env may be read by name
// ($env.priority, $env["priority"]) and is the first argument of pacte's
// functions of the item; as a value it would name fields by their Go names
// (let e = $env; e.Ticket).
func (c *checker) declarations(node ast.Node) map[*ast.IdentifierNode]bool {
	envFuncs := c.lang.envFuncs
	envRead := map[*ast.IdentifierNode]bool{}
	walk(node, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.VariableDeclaratorNode:
			if c.cfg.lets == nil {
				c.cfg.lets = map[string]bool{}
			}
			c.cfg.lets[n.Name] = true
		case *ast.MemberNode:
			if id, ok := n.Node.(*ast.IdentifierNode); ok {
				if _, named := constantOf[string](n.Property); named {
					envRead[id] = true
				}
			}
		case *ast.CallNode:
			if callee, ok := n.Callee.(*ast.IdentifierNode); ok && envFuncs[callee.Value] && len(n.Arguments) > 0 {
				if id, ok := n.Arguments[0].(*ast.IdentifierNode); ok {
					envRead[id] = true
				}
			}
		}
	})
	return envRead
}

// checkRecovered runs the stages of expr.Compile up to the bytecode:
// parse, check, patch and optimize; a panic of a misconfigured option
// becomes an error. The tree it returns is then checked by the language,
// and its cost computed, before compileRecovered compiles it.
func checkRecovered(src string, options []expr.Option) (tree *parser.Tree, config *conf.Config, err error) {
	defer func() {
		if r := recover(); r != nil {
			tree, config, err = nil, nil, fmt.Errorf("expression compiler failed: %v", r)
		}
	}()
	config = conf.CreateNew()
	for _, op := range options {
		op(config)
	}
	for name := range config.Disabled {
		delete(config.Builtins, name)
	}
	config.Check()
	if tree, err = exprchecker.ParseCheck(src, config); err != nil {
		return nil, nil, err
	}
	if config.Optimize {
		if err := optimizer.Optimize(&tree.Node, config); err != nil {
			var fe *file.Error
			if errors.As(err, &fe) {
				return nil, nil, fe.Bind(tree.Source)
			}
			return nil, nil, err
		}
	}
	return tree, config, nil
}

// compileRecovered compiles a checked tree to bytecode.
func compileRecovered(tree *parser.Tree, config *conf.Config) (p *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, fmt.Errorf("expression compiler failed: %v", r)
		}
	}()
	return compiler.Compile(tree, config)
}

// functionsFor returns the functions available in an environment: the
// ticket functions in ticket expressions, fee() in period formulas.
func functionsFor(env any) []funcDef {
	var out []funcDef
	for _, f := range functions() {
		switch f.name {
		case "elapsed_between", "entered", "link", "reopened_within":
			if _, ok := env.(Ticket); !ok {
				continue
			}
		case "fee":
			if _, ok := env.(feeSource); !ok {
				continue
			}
		case "result":
			if _, ok := env.(resultSource); !ok {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

func envFuncNames(defs []funcDef) map[string]bool {
	m := map[string]bool{}
	for _, f := range defs {
		if f.env {
			m[f.name] = true
		}
	}
	return m
}

// embeddedName returns the name n reads from the environment: Ticket in
// Ticket, $env.Ticket and $env["Ticket"]; "" for other nodes.
func embeddedName(n ast.Node) string {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		return n.Value
	case *ast.MemberNode:
		if id, ok := n.Node.(*ast.IdentifierNode); ok && id.Value == "$env" {
			name, _ := constantOf[string](n.Property)
			return name
		}
	}
	return ""
}

// embeddedNames returns the Go names of the structs embedded in an
// environment (Ticket, Clock, Call…): expr would resolve them, and they are
// not names of the language.
func embeddedNames(t reflect.Type) map[string]bool {
	names := map[string]bool{}
	eachField(t, func(f reflect.StructField) {
		if f.Anonymous {
			names[f.Name] = true
		}
	})
	return names
}

// eachField calls visit with each field of the struct t points to, and
// of the structs embedded in it, the embedded ones included.
func eachField(t reflect.Type, visit func(reflect.StructField)) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		visit(f)
		if f.Anonymous {
			eachField(f.Type, visit)
		}
	}
}

// knownNames lists the names of an environment, for suggestions.
func knownNames(t reflect.Type, defs []funcDef) []string {
	var names []string
	eachField(t, func(f reflect.StructField) {
		if tag := f.Tag.Get("expr"); !f.Anonymous && tag != "" && tag != "-" {
			names = append(names, tag)
		}
	})
	for _, f := range defs {
		names = append(names, f.name)
	}
	names = append(names, "len", "all", "any", "none", "one", "filter", "map", "count", "upper", "lower", "trim", "hasPrefix", "hasSuffix", "duration", "int", "string")
	sort.Strings(names)
	return slices.Compact(names)
}

// checkNode rejects what the type checker lets through but the language
// does not allow: floating point, unknown calendars and work units.
func checkNode(n ast.Node, cfg *config, defs []funcDef) *Error {
	if t := n.Type(); t != nil && (t.Kind() == reflect.Float64 || t.Kind() == reflect.Float32) {
		return &Error{Code: ErrType, Msg: "floating-point arithmetic is not allowed: money and ratios are exact",
			Hint: "write fractions as decimals (0.5, 2.5%); divide decimals, durations or integers"}
	}
	if m, ok := n.(*ast.MemberNode); ok && (m.Method || (m.Type() != nil && m.Type().Kind() == reflect.Func)) {
		return &Error{Code: ErrType, Msg: "methods of values are not part of the language",
			Hint: "use the language's functions: they read instants in the contract's zone and compute exactly"}
	}
	if u, ok := n.(*ast.UnaryNode); ok && classOf(u.Node) == unknownClass {
		// -x, +x, !x and not x are compiled for the operand's type; a
		// value of unknown type (read from a list, or x ?? y) would meet
		// the wrong one at run time.
		return &Error{Code: ErrType, Msg: fmt.Sprintf("the operand of %q has no known type", u.Operator),
			Hint: "compute with fields, literals and functions of known types; values read from lists or JSON have none"}
	}
	if b, ok := n.(*ast.BinaryNode); ok {
		return checkBinary(b, cfg)
	}
	if c, ok := n.(*ast.ConditionalNode); ok {
		// p1 ? 4h : 0 has no type: each comparison or sum it enters then
		// fails on the branch of the other type.
		t1, t2 := c.Exp1.Type(), c.Exp2.Type()
		if t1 != nil && t2 != nil && t1 != t2 && (typeClass(t1) == numberClass || typeClass(t2) == numberClass || t1 == reflectDuration || t2 == reflectDuration) {
			return &Error{Code: ErrType, Msg: fmt.Sprintf("the two values of ?: are %s and %s", aTypeName(t1), aTypeName(t2)),
				Hint: "give both the same type: 0s for no time, 0.00 for no amount"}
		}
	}
	if b, ok := n.(*ast.BuiltinNode); ok && b.Name == "count" && len(b.Arguments) == 1 && notBools(b.Arguments[0]) {
		// expr accepts count(list) for any list and fails at run time on
		// the first element that is not a bool.
		return &Error{Code: ErrType, Msg: "count without a condition counts the true values of a list of bools",
			Hint: "count the elements that meet a condition, as in count(history, .status == \"Pending\"), or take len(list)"}
	}
	if call, ok := n.(*ast.CallNode); ok {
		return checkCall(call, cfg, defs)
	}
	return nil
}

// checkBinary rejects operators on values of unknown type and tests of
// nil on values that cannot be nil.
func checkBinary(b *ast.BinaryNode, cfg *config) *Error {
	switch b.Operator {
	case "+", "-", "*", "/", "%", "**":
		if t := b.Type(); t == nil || t.Kind() == reflect.Interface {
			return &Error{Code: ErrType, Msg: fmt.Sprintf("the operands of %q have no known type", b.Operator),
				Hint: "compute with fields, literals and functions of known types; values read from lists or JSON have none"}
		}
		if b.Operator == "*" && b.Left.Type() == reflectDuration && b.Right.Type() == reflectDuration {
			return &Error{Code: ErrType, Msg: "a duration times a duration is no quantity of the language",
				Hint: "multiply a duration by a number (2 * 4h, late * 1.5), or divide two durations for their ratio (late / 1h)"}
		}
	case "??":
		if t, never := neverNil(b.Left, cfg.lets); never {
			return &Error{Code: ErrType, Msg: fmt.Sprintf("%s is never nil: %q never takes its right side", aTypeName(t), b.Operator), Hint: nilHint(t, b.Operator)}
		}
	case "==", "!=":
		other := b.Left
		if _, ok := b.Left.(*ast.NilNode); ok {
			other = b.Right
		} else if _, ok := b.Right.(*ast.NilNode); !ok {
			other = nil
		}
		if t, never := neverNil(other, cfg.lets); never {
			return &Error{Code: ErrType, Msg: fmt.Sprintf("%s is never nil: %q is always %t", aTypeName(t), b.Operator, b.Operator == "!="), Hint: nilHint(t, b.Operator)}
		}
		fallthrough
	case "<", ">", "<=", ">=", "in", "not in":
		// Numbers are compared by an operator chosen from their types
		// when the expression compiles (decimals have their own). A
		// number of unknown type would meet the wrong one at run time:
		// an error for an order, a wrong answer for an equality (1.50
		// and 1.5 are two different Go values).
		right := classOf(b.Right)
		if b.Operator == "in" || b.Operator == "not in" {
			right = elemClass(b.Right)
		}
		if left := classOf(b.Left); (left == unknownClass && right != otherClass) || (right == unknownClass && left != otherClass) {
			return &Error{Code: ErrType, Msg: fmt.Sprintf("the operands of %q have no known type", b.Operator),
				Hint: "compare fields, literals and functions of known types; numbers read from lists or JSON have none"}
		}
	}
	return nil
}

// checkHolidayCodes checks the holiday codes of a count of jours ouvrés
// or ouvrables, constants after its two instants, and reads their lists.
func checkHolidayCodes(call *ast.CallNode, cfg *config, name string) *Error {
	codes := make([]string, 0, len(call.Arguments))
	for _, a := range call.Arguments[min(2, len(call.Arguments)):] {
		code, isConst := constantOf[string](a)
		if !isConst {
			return &Error{Code: ErrType, Msg: name + ": holidays must be named by string constants, as in \"FR\""}
		}
		if _, known := calendar.Holidays(code); !known {
			e := &Error{Code: ErrUnknownName, Msg: fmt.Sprintf("unknown holiday code %q", code), Hint: "holiday codes are those of calendars: FR, FR-67, BE…"}
			if s := suggest(code, calendar.HolidayCodes()); s != "" {
				e.Hint = fmt.Sprintf("did you mean %q?", s)
			}
			return e
		}
		codes = append(codes, code)
	}
	var list []*cal.Holiday
	for _, code := range codes {
		hs, _ := calendar.Holidays(code)
		list = append(list, hs...)
	}
	if cfg.holidays == nil {
		cfg.holidays = map[string][]*cal.Holiday{}
	}
	cfg.holidays[strings.Join(codes, "|")] = list
	return nil
}

// checkCall rejects methods, calendars and work units that do not exist
// or are not named by constants, and clock functions without a calendar.
func checkCall(call *ast.CallNode, cfg *config, defs []funcDef) *Error {
	if _, isMember := call.Callee.(*ast.MemberNode); isMember {
		return &Error{Code: ErrType, Msg: "methods of values are not part of the language",
			Hint: "use the language's functions: they read instants in the contract's zone and compute exactly"}
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok {
		return nil
	}
	if id.Value == "elapsed_between" && cfg.ruleCal == nil {
		return &Error{Code: ErrUnknownName, Msg: "elapsed_between: this expression has no calendar of its own",
			Hint: "elapsed_between measures on the rule's clock calendar; use open_time(\"HO\", a, b) without pauses"}
	}
	if id.Value == "string" && len(call.Arguments) == 1 {
		if t := call.Arguments[0].Type(); t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map) {
			return &Error{Code: ErrType, Msg: "string() writes a number, a duration, an instant or a bool, not a list or a map",
				Hint: `write the elements one by one, or join a list of texts: join(map(history, .status), ", ")`}
		}
	}
	i := slices.IndexFunc(defs, func(f funcDef) bool { return f.name == id.Value })
	if i < 0 {
		return nil
	}
	f := defs[i]
	switch {
	case f.calendar:
		if len(call.Arguments) > 0 && typeOf(call.Arguments[0].Type()) == String {
			name, isConst := constantOf[string](call.Arguments[0])
			if !isConst {
				return &Error{Code: ErrType, Msg: fmt.Sprintf("%s: the calendar must be named by a string constant", f.name)}
			}
			if _, known := cfg.calendars[name]; !known {
				e := &Error{Code: ErrUnknownName, Msg: fmt.Sprintf("unknown calendar %q", name)}
				if s := suggest(name, mapKeys(cfg.calendars)); s != "" {
					e.Hint = fmt.Sprintf("did you mean %q?", s)
				} else if len(cfg.calendars) > 0 {
					e.Hint = "calendars: " + strings.Join(mapKeys(cfg.calendars), ", ")
				}
				return e
			}
		} else if cfg.ruleCal == nil {
			return &Error{Code: ErrUnknownName, Msg: fmt.Sprintf("%s: this expression has no calendar of its own", f.name),
				Hint: fmt.Sprintf("name one, as in %s(\"HO\", …)", f.name)}
		}
	case f.holidays:
		return checkHolidayCodes(call, cfg, f.name)
	case f.name == "fee":
		if cfg.item && !cfg.itemFees {
			return &Error{Code: ErrUnknownName, Msg: "fee() is only available in penalty and bonus formulas and per-item amounts",
				Hint: "a scope, a clock or a condition about an item does not depend on the invoice"}
		}
		for _, a := range call.Arguments[1:] {
			unit, isConst := constantOf[string](a)
			if !isConst {
				return &Error{Code: ErrType, Msg: "fee: work units must be named by string constants"}
			}
			if cfg.units != nil && !cfg.units[unit] {
				e := &Error{Code: ErrUnknownName, Msg: fmt.Sprintf("unknown work unit %q", unit)}
				if s := suggest(unit, mapKeys(cfg.units)); s != "" {
					e.Hint = fmt.Sprintf("did you mean %q?", s)
				}
				return e
			}
		}
	}
	return nil
}

// neverNil reports whether n cannot be nil, and its type: a field, a let
// variable holding one, a call of pacte's functions or a literal of a type
// without nil. attrs["site"] == nil reads as a test of a missing
// attribute, but a missing attribute is "" and the test is always false.
// expr's builtins (first, get, find…), let variables and optional chains
// are nil when they find nothing, whatever their static type.
func neverNil(n ast.Node, lets map[string]bool) (reflect.Type, bool) {
	switch n := n.(type) {
	case *ast.IdentifierNode:
		if lets[n.Value] {
			return nil, false
		}
	case *ast.CallNode, *ast.StringNode, *ast.IntegerNode, *ast.BoolNode, *ast.ConstantNode:
	case *ast.MemberNode:
		if n.Optional {
			return nil, false
		}
	default:
		return nil, false
	}
	t := n.Type()
	if t == nil {
		return nil, false
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
		return nil, false
	}
	return t, true
}

// nilHint says how to write what a test of nil meant to.
func nilHint(t reflect.Type, operator string) string {
	switch {
	case t.Kind() == reflect.String && operator == "??":
		return `a missing value is the empty string: attrs["site"] != "" ? attrs["site"] : "unknown"`
	case t.Kind() == reflect.String:
		return `a missing value is the empty string: compare with ""`
	case typeOf(t) == Time:
		return "an instant that did not happen is the zero instant, earlier than any other: resolved > opened tells whether it did"
	case t.Kind() == reflect.Struct && t.Name() == "Link":
		return `a missing link has an empty id: link("incident").id == ""`
	}
	return ""
}

// notBools reports whether n is certainly not a list of bools: its
// elements have another type, or some of them do. A list of unknown
// elements (from map, let or a slice) may hold bools and is let through.
func notBools(n ast.Node) bool {
	if t := n.Type(); t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
		if k := t.Elem().Kind(); k != reflect.Interface {
			return k != reflect.Bool
		}
	}
	switch n := n.(type) {
	case *ast.ConstantNode:
		list, _ := n.Value.([]any)
		return slices.ContainsFunc(list, func(v any) bool { _, ok := v.(bool); return !ok })
	case *ast.ArrayNode:
		return slices.ContainsFunc(n.Nodes, knownNotBool)
	case *ast.BuiltinNode: // the checker types these lists of any
		switch {
		case n.Name == "map" && len(n.Arguments) == 2:
			if pred, ok := n.Arguments[1].(*ast.PredicateNode); ok {
				return knownNotBool(pred.Node)
			}
		case (n.Name == "keys" || n.Name == "values") && len(n.Arguments) == 1:
			if t := n.Arguments[0].Type(); t != nil && t.Kind() == reflect.Map {
				elem := t.Key()
				if n.Name == "values" {
					elem = t.Elem()
				}
				return elem.Kind() != reflect.Interface && elem.Kind() != reflect.Bool
			}
		}
	case *ast.BinaryNode:
		return n.Operator == ".." // a range of integers
	}
	return false
}

// knownNotBool reports whether n has a known type other than bool.
func knownNotBool(n ast.Node) bool {
	t := n.Type()
	return t != nil && t.Kind() != reflect.Interface && t.Kind() != reflect.Bool
}

// operandClass sorts the operands of a comparison by how the comparison
// treats them.
type operandClass int

const (
	otherClass   operandClass = iota // text, instants, durations, bools, nil: compared alike whatever the static type
	numberClass                      // integers and decimals: the operator is chosen from the static types
	unknownClass                     // no static type: a value read from a list, a map or JSON
)

func classOf(n ast.Node) operandClass {
	if _, ok := n.(*ast.NilNode); ok {
		return otherClass
	}
	return typeClass(n.Type())
}

func typeClass(t reflect.Type) operandClass {
	switch {
	case t == nil || t.Kind() == reflect.Interface:
		return unknownClass
	case t == reflectDecimal:
		return numberClass
	case t == reflectDuration:
		return otherClass
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return numberClass
	}
	return otherClass
}

// elemClass is the class of the elements of the right operand of in: a
// list's elements, a map's keys.
func elemClass(n ast.Node) operandClass {
	if t := n.Type(); t != nil {
		switch t.Kind() {
		case reflect.Slice, reflect.Array:
			if c := typeClass(t.Elem()); c != unknownClass {
				return c
			}
		case reflect.Map:
			return typeClass(t.Key())
		}
	}
	// A list literal: the widest class of its elements.
	c := otherClass
	switch n := n.(type) {
	case *ast.ConstantNode:
		list, ok := n.Value.([]any)
		if !ok {
			return unknownClass
		}
		for _, v := range list {
			c = max(c, typeClass(reflect.TypeOf(v)))
		}
	case *ast.ArrayNode:
		for _, e := range n.Nodes {
			c = max(c, classOf(e))
		}
	default:
		return unknownClass
	}
	return c
}

// constantOf returns the value of n when it is a constant of type T: a
// literal, or a constant expr folded.
func constantOf[T any](n ast.Node) (T, bool) {
	var v any
	switch n := n.(type) {
	case *ast.StringNode:
		v = n.Value
	case *ast.IntegerNode:
		v = n.Value
	case *ast.ConstantNode:
		v = n.Value
	}
	x, ok := v.(T)
	return x, ok
}

func mapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// walk visits every node of a tree.
func walk(n ast.Node, visit func(ast.Node)) {
	ast.Walk(&n, visitorFunc(visit))
}

type visitorFunc func(ast.Node)

func (f visitorFunc) Visit(n *ast.Node) { f(*n) }

// positioned sets the line, column, text and offset of an error at a rune
// offset of the source.
func positioned(source string, offset int, e *Error) *Error {
	rs := []rune(source)
	offset = min(max(offset, 0), len(rs))
	line, col, lineStart := 1, 1, 0
	for i := range offset {
		if rs[i] == '\n' {
			line++
			col = 1
			lineStart = i + 1
		} else {
			col++
		}
	}
	lineEnd := lineStart
	for lineEnd < len(rs) && rs[lineEnd] != '\n' {
		lineEnd++
	}
	e.Line, e.Column, e.Offset = line, col, offset
	e.Text = string(rs[lineStart:lineEnd])
	return e
}

// convertCompileError turns expr's error into ours: positions in the
// source as written, a code, readable type names and a hint.
func convertCompileError(source string, rw *rewritten, names []string, err error) error {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return &Error{Code: ErrSyntax, Msg: err.Error(), Line: 1, Column: 1}
	}
	msg := fe.Message
	for i, v := range rw.literals {
		for _, fn := range []string{durationLiteral, decimalLiteral} {
			msg = strings.ReplaceAll(msg, fn+"("+strconv.Itoa(i)+")", literalText(v))
		}
	}
	msg = readableTypes(msg)
	e := &Error{Code: ErrSyntax, Msg: msg}
	switch {
	case strings.HasPrefix(msg, "unknown name "), strings.HasPrefix(msg, "unknown func "):
		e.Code = ErrUnknownName
		name := strings.TrimSuffix(strings.Fields(msg)[2], "()")
		switch {
		case name == "now":
			e.Hint = "now() is disabled: time comes from the data being evaluated, so results are reproducible"
		case name == "date":
			e.Hint = "instants come from the records; compare them with each other or with the period's start and end"
		case name == "fee":
			e.Hint = "fee() is a function of penalty and bonus formulas, which see the period's invoice"
		case strings.ContainsAny(name, "0123456789") || strings.ToUpper(name) == name:
			// P1, ERP: a value, not a name.
			e.Hint = fmt.Sprintf("a value is quoted: %q", name)
		default:
			if s := suggest(name, names); s != "" {
				e.Hint = fmt.Sprintf("did you mean %q?", s)
			}
		}
	case strings.Contains(msg, "cannot use"), strings.Contains(msg, "invalid operation"), strings.Contains(msg, "mismatched types"),
		strings.Contains(msg, "not enough arguments"), strings.Contains(msg, "too many arguments"),
		strings.Contains(msg, "expected bool"), strings.Contains(msg, "type "), strings.Contains(msg, "cannot fetch"),
		strings.Contains(msg, "has no field"):
		e.Code = ErrType
		e.Hint = textNumberHint(source, msg, rw.originalOffset(fe.From))
		if e.Hint == "" {
			e.Hint = durationNumberHint(source, rw, fe.From, msg)
		}
	case strings.Contains(msg, "exceeds maximum allowed nodes") || strings.Contains(msg, "too many nodes"):
		e.Code = ErrLimit
	}
	return positioned(source, rw.originalOffset(fe.From), e)
}

func literalText(v any) string {
	switch x := v.(type) {
	case time.Duration:
		return exact.FormatDuration(x)
	case decimal.Decimal:
		return x.String()
	}
	return fmt.Sprint(v)
}

// readableTypes replaces Go type names in a message by the language's.
func readableTypes(msg string) string {
	return strings.NewReplacer(
		"decimal.Decimal", "decimal",
		"time.Duration", "duration",
		"time.Time", "time",
		"dsl.Ticket", "ticket",
		"pacte.Link", "link",
	).Replace(msg)
}

// aTypeName is typeName with its article: "an int", "a decimal".
func aTypeName(t reflect.Type) string {
	name := typeName(t)
	if name != "" && strings.ContainsRune("aeiou", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}

func typeName(t reflect.Type) string {
	if ty := typeOf(t); ty != Other && ty != Unknown {
		return ty.String()
	}
	if t == nil {
		return "unknown"
	}
	return readableTypes(t.String())
}

// literalPatcher replaces the placeholder calls of the literal rewrite by
// typed constants.
type literalPatcher struct{ values []any }

func (p *literalPatcher) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok || len(call.Arguments) != 1 {
		return
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok || (id.Value != durationLiteral && id.Value != decimalLiteral) {
		return
	}
	n, ok := call.Arguments[0].(*ast.IntegerNode)
	if !ok || n.Value < 0 || n.Value >= len(p.values) {
		return
	}
	c := &ast.ConstantNode{Value: p.values[n.Value]}
	c.SetType(reflect.TypeOf(p.values[n.Value]))
	ast.Patch(node, c)
}

// envArgPatcher passes the environment to the functions that read the
// record or the period: entered("x") becomes entered($env, "x").
type envArgPatcher struct{ names map[string]bool }

func (p *envArgPatcher) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok {
		return
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok || !p.names[id.Value] {
		return
	}
	if len(call.Arguments) > 0 {
		if first, ok := call.Arguments[0].(*ast.IdentifierNode); ok && first.Value == "$env" {
			return
		}
	}
	envNode := &ast.IdentifierNode{Value: "$env"}
	envNode.SetLocation(call.Location())
	call.Arguments = append([]ast.Node{envNode}, call.Arguments...)
}

// negationPatcher turns -x of a decimal, a duration or an integer into a
// call: expr's operator overloading covers binary operators only, and the
// negation of the smallest integer or duration overflows. Like the overloading, it runs
// until the tree stops changing, since types appear as operators are
// replaced.
type negationPatcher struct{ applied bool }

func (p *negationPatcher) Visit(node *ast.Node) {
	u, ok := (*node).(*ast.UnaryNode)
	if !ok || u.Operator != "-" {
		return
	}
	switch u.Node.Type() {
	case reflectDecimal:
		ast.Patch(node, decimalCall("__sub", zeroDecimal(), u.Node))
	case reflectDuration:
		ast.Patch(node, typedCall("__neg_dur", reflectDuration, u.Node))
	case reflectInt:
		if _, literal := u.Node.(*ast.IntegerNode); literal {
			return // -1 is a constant, and no literal is the smallest int
		}
		ast.Patch(node, typedCall("__neg_int", reflectInt, u.Node))
	default:
		return
	}
	p.applied = true
}

func typedCall(fn string, t reflect.Type, args ...ast.Node) *ast.CallNode {
	call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: fn}, Arguments: args}
	call.SetType(t)
	return call
}

func (p *negationPatcher) Reset()             { p.applied = false }
func (p *negationPatcher) ShouldRepeat() bool { return p.applied }

// conditionalPatcher gives "x ? 150.00 : 0" the type decimal, by turning
// the integer branch into a decimal: expr would type it as "any".
type conditionalPatcher struct{ applied bool }

func (p *conditionalPatcher) Visit(node *ast.Node) {
	c, ok := (*node).(*ast.ConditionalNode)
	if !ok {
		return
	}
	t1, t2 := typeOf(c.Exp1.Type()), typeOf(c.Exp2.Type())
	switch {
	case t1 == Decimal && t2 == Int:
		c.Exp2 = decimalCall("__add", zeroDecimal(), c.Exp2)
	case t1 == Int && t2 == Decimal:
		c.Exp1 = decimalCall("__add", zeroDecimal(), c.Exp1)
	default:
		return
	}
	c.SetType(reflectDecimal)
	p.applied = true
}

func (p *conditionalPatcher) Reset()             { p.applied = false }
func (p *conditionalPatcher) ShouldRepeat() bool { return p.applied }

// membershipPatcher turns "x in [a, b]" of a decimal x into
// "x == a || x == b", so that decimals compare by value (4 in [4.0]) as
// everywhere else.
type membershipPatcher struct{ applied bool }

// getPatcher reads get(attrs, "site") as attrs["site"]: expr types get()
// on a map of strings as a string but returns nil for a missing key,
// which its string operators then fail on (get(attrs, "site") == "Lyon"
// failed on every item without a site). A missing attribute is the empty
// string, as with attrs["site"]. get() on lists keeps expr's meaning.
type getPatcher struct{}

func (getPatcher) Visit(node *ast.Node) {
	b, ok := (*node).(*ast.BuiltinNode)
	if !ok || b.Name != "get" || len(b.Arguments) != 2 {
		return
	}
	if t := b.Arguments[0].Type(); t == nil || t.Kind() != reflect.Map || t.Elem().Kind() == reflect.Interface {
		return
	}
	m := &ast.MemberNode{Node: b.Arguments[0], Property: b.Arguments[1]}
	m.SetLocation(b.Location())
	ast.Patch(node, m)
}

// notFoundPatcher reads findIndex(list, f) as findIndex(list, f) ?? -1:
// expr types it an int but returns nil when nothing matches, which its
// integer operators then fail on (findIndex(history, .status ==
// "Pending") >= 0 failed on every ticket never pending). -1 for "not
// found" is Go's own convention (slices.Index).
// It runs once (it is not repeatable), so it never wraps its own work.
type notFoundPatcher struct{}

func (notFoundPatcher) Visit(node *ast.Node) {
	b, ok := (*node).(*ast.BuiltinNode)
	if !ok || (b.Name != "findIndex" && b.Name != "findLastIndex") {
		return
	}
	minusOne := &ast.IntegerNode{Value: -1}
	minusOne.SetLocation(b.Location())
	or := &ast.BinaryNode{Operator: "??", Left: b, Right: minusOne}
	or.SetLocation(b.Location())
	ast.Patch(node, or)
}

// nilChains returns the optional chains (first(links)?.resolved) used
// where their nil, when they find nothing, would fail the evaluation or
// be taken for a value: an ordering, arithmetic, a function's argument, a
// condition, an element of a list or a map, a let value, the right side
// of ?? or in, the whole expression. A chain may be compared with == and
// != (maybeNilPatcher), be the left side of ?? or in, either side of the
// text tests (contains, startsWith, endsWith, matches: false for nil),
// and read a predicate's element (#?.resolved: the element is there). A
// chain in the right operand of && and || or in a branch of ?: is left
// to the author, since the left operand or the condition may guard it
// (len(links) > 0 && first(links)?.resolved > opened).
func nilChains(root ast.Node) []ast.Node {
	var found []ast.Node
	var visit func(n ast.Node, allowed, guarded bool)
	// each visits operands that their node neither allows nor guards.
	each := func(guarded bool, nodes ...ast.Node) {
		for _, x := range nodes {
			visit(x, false, guarded)
		}
	}
	visit = func(n ast.Node, allowed, guarded bool) {
		switch n := n.(type) {
		case *ast.ChainNode:
			base, props := chainParts(n)
			// A chain over a predicate's element (#?.resolved) reads
			// from something that is there.
			if _, element := base.(*ast.PointerNode); !element && !allowed && !guarded {
				found = append(found, n)
			}
			visit(base, false, guarded)
			each(guarded, props...)
		case *ast.BinaryNode:
			left, right := false, false
			switch n.Operator {
			case "==", "!=", "contains", "startsWith", "endsWith", "matches":
				left, right = true, true
			case "??", "in", "not in":
				left = true
			case "&&", "||", "and", "or":
				visit(n.Left, false, guarded)
				visit(n.Right, false, true)
				return
			}
			visit(n.Left, left, guarded)
			visit(n.Right, right, guarded)
		case *ast.CallNode:
			if id, ok := n.Callee.(*ast.IdentifierNode); ok && id.Value == untyped && len(n.Arguments) == 1 {
				visit(n.Arguments[0], true, guarded) // an operand of == or !=, made generic
				return
			}
			each(guarded, n.Arguments...)
		case *ast.BuiltinNode:
			each(guarded, n.Arguments...)
			each(guarded, n.Map)
		case *ast.PredicateNode:
			each(guarded, n.Node)
		case *ast.ConditionalNode:
			visit(n.Cond, false, guarded)
			visit(n.Exp1, false, true)
			visit(n.Exp2, false, true)
		case *ast.UnaryNode:
			each(guarded, n.Node)
		case *ast.SequenceNode:
			for i, x := range n.Nodes {
				visit(x, i < len(n.Nodes)-1, guarded) // only the last value is the sequence's
			}
		case *ast.VariableDeclaratorNode:
			each(guarded, n.Value, n.Expr)
		case *ast.MemberNode:
			each(guarded, n.Node, n.Property)
		case *ast.SliceNode:
			each(guarded, n.Node, n.From, n.To)
		case *ast.ArrayNode:
			each(guarded, n.Nodes...)
		case *ast.MapNode:
			each(guarded, n.Pairs...)
		case *ast.PairNode:
			each(guarded, n.Key, n.Value)
		}
	}
	visit(root, false, false)
	return found
}

// chainParts returns what a chain reads from (first(links) in
// first(links)?.resolved) and the properties and indexes it reads.
func chainParts(c *ast.ChainNode) (base ast.Node, props []ast.Node) {
	for m := c.Node; ; {
		switch x := m.(type) {
		case *ast.MemberNode:
			props = append(props, x.Property)
			m = x.Node
		case *ast.ChainNode:
			m = x.Node
		default:
			return m, props
		}
	}
}

// maybeNilPatcher makes the equality of an optional chain generic:
// find(links, .kind == "problem")?.priority == "P2" is typed a comparison
// of strings, which fails on the nil the chain gives when there is no
// such link. Seen as a value of unknown type (an identity function typed
// any), the chain is compared with expr's generic equality: nil is equal
// to nothing but nil.
type maybeNilPatcher struct{}

func (maybeNilPatcher) Visit(node *ast.Node) {
	b, ok := (*node).(*ast.BinaryNode)
	if !ok || (b.Operator != "==" && b.Operator != "!=") {
		return
	}
	for _, side := range []*ast.Node{&b.Left, &b.Right} {
		if _, chain := (*side).(*ast.ChainNode); !chain || classOf(*side) == unknownClass {
			continue
		}
		call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: untyped}, Arguments: []ast.Node{*side}}
		call.SetLocation((*side).Location())
		call.Callee.SetLocation((*side).Location())
		*side = call
	}
}

func (p *membershipPatcher) Visit(node *ast.Node) {
	b, ok := (*node).(*ast.BinaryNode)
	if !ok || (b.Operator != "in" && b.Operator != "not in") || b.Left.Type() != reflectDecimal {
		return
	}
	arr, ok := b.Right.(*ast.ArrayNode)
	if !ok {
		return
	}
	var chain ast.Node = &ast.BoolNode{Value: false}
	for i, item := range arr.Nodes {
		eq := &ast.BinaryNode{Operator: "==", Left: b.Left, Right: item}
		eq.SetLocation(item.Location())
		if i == 0 {
			chain = eq
		} else {
			chain = &ast.BinaryNode{Operator: "||", Left: chain, Right: eq}
		}
	}
	if b.Operator == "not in" {
		chain = &ast.UnaryNode{Operator: "!", Node: chain}
	}
	ast.Patch(node, chain)
	p.applied = true
}

func (p *membershipPatcher) Reset()             { p.applied = false }
func (p *membershipPatcher) ShouldRepeat() bool { return p.applied }

// aggregatePatcher sends sum, mean, median and percentile of a list to the
// implementation of its element type: expr's lists are []any to the type
// checker, whose nature still knows the type of their elements.
type aggregatePatcher struct{ applied bool }

func (p *aggregatePatcher) Visit(node *ast.Node) {
	call, ok := (*node).(*ast.CallNode)
	if !ok || len(call.Arguments) == 0 {
		return
	}
	id, ok := call.Callee.(*ast.IdentifierNode)
	if !ok {
		return
	}
	switch id.Value {
	case "sum", "mean", "median", "percentile":
	default:
		return
	}
	nt := call.Arguments[0].Nature()
	if nt == nil || nt.Type == nil || nt.Type.Kind() != reflect.Slice || nt.Type.Elem().Kind() != reflect.Interface || nt.Ref == nil {
		return
	}
	suffix := map[reflect.Type]string{reflectDuration: "_dur", reflectDecimal: "_dec", reflectInt: "_int"}[nt.Ref.Type]
	if suffix == "" {
		return
	}
	id.Value = "__" + id.Value + suffix
	p.applied = true
}

func (p *aggregatePatcher) Reset()             { p.applied = false }
func (p *aggregatePatcher) ShouldRepeat() bool { return p.applied }

// retypePatcher clears the types of calls. expr's checker types a call
// once and keeps that type on later passes; the first pass runs before the
// operator overloads are applied, so a call over an overloaded operator
// would keep the type of its first overload, and its arguments would go
// unchecked.
type retypePatcher struct{}

func (retypePatcher) Visit(node *ast.Node) {
	if call, ok := (*node).(*ast.CallNode); ok {
		call.SetType(nil)
	}
}

func (retypePatcher) Reset()             {}
func (retypePatcher) ShouldRepeat() bool { return false }

func zeroDecimal() ast.Node {
	zero := &ast.ConstantNode{Value: decimal.Decimal{}}
	zero.SetType(reflectDecimal)
	return zero
}

func decimalCall(fn string, args ...ast.Node) ast.Node {
	call := &ast.CallNode{Callee: &ast.IdentifierNode{Value: fn}, Arguments: args}
	call.SetType(reflectDecimal)
	if len(args) > 0 {
		call.SetLocation(args[len(args)-1].Location())
	}
	return call
}

// runtimeError wraps an evaluation failure with its position. A
// cancelled evaluation returns the context's error as it is.
func (p *Program[E]) runtimeError(err error) error {
	for _, c := range []error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, c) {
			return c
		}
	}
	e := &Error{Code: ErrRuntime, Msg: err.Error()}
	if errors.Is(err, exact.ErrLimit) {
		e.Code = ErrLimit
	}
	var fe *file.Error
	if errors.As(err, &fe) {
		e.Msg = readableTypes(fe.Message)
		if fe.Prev != nil {
			e.Msg = readableTypes(fe.Prev.Error())
		}
		if fe.Message == "memory budget exceeded" { // a panic of expr's VM, not an error
			e.Code = ErrLimit
		}
	}
	// The VM recovers Go's own panics ("runtime error: integer divide by
	// zero"); the closures report the same failures without the prefix,
	// and a contract's reader gains nothing from it.
	e.Msg = strings.TrimPrefix(e.Msg, "runtime error: ")
	return e
}

// Eval evaluates the expression and returns its value, on expr's VM with
// the environment passed by value.
func (p *Program[E]) Eval(env *E) (any, error) { return p.run(context.Background(), env) }

// EvalContext is [Program.Eval] stopped by ctx: an evaluation that ctx
// cancels returns ctx's error, within a bounded time even in the middle
// of a predicate over a long list.
func (p *Program[E]) EvalContext(ctx context.Context, env *E) (any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return p.run(ctx, env)
}

// run evaluates on a VM of the pool.
func (p *Program[E]) run(ctx context.Context, env *E) (any, error) {
	r := p.runners.Get().(*runner)
	r.vm.MemoryBudget = p.budget
	var out any
	var err error
	if p.metered {
		r.meter = meter{used: p.base, limit: p.limit, next: p.base + interruptEvery, ctx: ctx}
		e := *env
		any(&e).(interface{ setMeter(*meter) }).setMeter(&r.meter)
		out, err = r.vm.Run(p.prog, e)
		r.meter.ctx = nil
	} else {
		out, err = r.vm.Run(p.prog, *env)
	}
	p.runners.Put(r)
	if err != nil {
		return nil, p.runtimeError(err)
	}
	return out, nil
}

// Result is the Go type of a value [EvalAs] returns: a bool for a [Bool]
// expression, an int for an [Int] one, a string, a decimal.Decimal, a
// time.Duration or a time.Time.
type Result interface {
	bool | int | string | decimal.Decimal | time.Duration | time.Time
}

// EvalAs evaluates p and returns its value as a T, which must be the Go
// type of p's [Type]: EvalAs[bool] for a condition, EvalAs[decimal.Decimal]
// for an amount, which may be an integer expression, converted. A value
// that is not there, as first() of an empty list, reads as the empty
// string, as a missing attrs["site"] does. An expression of another type
// is an [ErrType] error.
func EvalAs[T Result, E Env](p *Program[E], env *E) (T, error) {
	return evalAs[T](context.Background(), p, env)
}

// EvalAsContext is [EvalAs] stopped by ctx, as [Program.EvalContext] is.
func EvalAsContext[T Result, E Env](ctx context.Context, p *Program[E], env *E) (T, error) {
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	return evalAs[T](ctx, p, env)
}

func evalAs[T Result, E Env](ctx context.Context, p *Program[E], env *E) (T, error) {
	var zero T
	want := resultType(zero)
	if p.typ != want && !(want == Decimal && p.typ == Int) {
		return zero, p.typeError(want)
	}
	v, err := p.run(ctx, env)
	if err != nil {
		return zero, err
	}
	if i, ok := v.(int); ok && want == Decimal {
		v = decimal.NewFromInt(int64(i))
	}
	if v == nil && want == String {
		return zero, nil
	}
	x, ok := v.(T)
	if !ok {
		return zero, p.valueError(v, want)
	}
	return x, nil
}

// resultType is the Type of the values of Go type T.
func resultType[T Result](T) Type {
	switch any(*new(T)).(type) {
	case bool:
		return Bool
	case int:
		return Int
	case string:
		return String
	case decimal.Decimal:
		return Decimal
	case time.Duration:
		return Duration
	}
	return Time
}

func (p *Program[E]) typeError(want Type) error {
	return &Error{Code: ErrType, Msg: fmt.Sprintf("expression %q is a %s, not a %s", p.source, p.typ, want)}
}

// valueError is a value of another type than the expression's, which
// the checker lets through for values it cannot type (a missing map key
// is nil).
func (p *Program[E]) valueError(v any, want Type) error {
	return &Error{Code: ErrRuntime, Msg: fmt.Sprintf("expression %q gave %v, not a %s", p.source, v, want)}
}

// Names lists, sorted, the names an expression about E may use: fields,
// measures and functions. Editors and documentation tools read it.
func Names[E Env]() []string {
	var zero E
	return slices.Clone(languages[reflect.TypeOf(zero)].names)
}

var attrRead = regexp.MustCompile(`attrs\[\s*("[^"]*"|'[^']*')\s*\]`)

// textNumberHint is the hint of a text compared with or added to a
// number: an attribute of an export is text, whose number decimal()
// reads.
func textNumberHint(source, msg string, offset int) string {
	if !strings.Contains(msg, "mismatched types string and") && !strings.Contains(msg, "and string)") ||
		strings.Contains(msg, "string and string") || !(strings.Contains(msg, " int") || strings.Contains(msg, " decimal")) {
		return ""
	}
	// The attribute read nearest the operator is one of its operands.
	attr, best := "", -1
	for _, m := range attrRead.FindAllStringSubmatchIndex(source, -1) {
		from, to := utf8.RuneCountInString(source[:m[0]]), utf8.RuneCountInString(source[:m[1]])
		d := min(abs(from-offset), abs(to-offset))
		if best < 0 || d < best {
			attr, best = source[m[2]:m[3]], d
		}
	}
	if attr != "" {
		return fmt.Sprintf("an attribute is text: read its number with decimal(attrs[%s])", attr)
	}
	return `a text is not a number: quote the value ("1"), or read a number from a text with decimal()`
}

// durationNumberHint is the hint of an operator between a duration and a
// number: elapsed <= 4 reads 4 as no unit at all. It names the duration
// and writes the number with units, when the operator at offset from of
// the rewritten source has a number literal on one side.
func durationNumberHint(source string, rw *rewritten, from int, msg string) string {
	for _, pair := range []string{"duration and int", "duration and decimal", "int and duration", "decimal and duration"} {
		if strings.Contains(msg, "mismatched types "+pair) {
			if hint := durationLiteralHint(source, rw, from); hint != "" {
				return hint
			}
			return "a duration goes with durations: write the unit, 4h or 30min; a number of hours is elapsed / 1h"
		}
	}
	return ""
}

func abs(n int) int { return max(n, -n) }
