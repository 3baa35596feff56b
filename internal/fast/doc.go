// Package fast compiles the language's item expressions further, into
// typed Go closures over the record, for the engine (package sla).
//
// expr's VM reads struct fields through reflection, which allocates for
// every string it loads, and dispatches each instruction: a scope such as
// priority == "P1" costs an allocation per item. [Compile] turns the
// checked tree of a dsl.Program (dsl.Program.Tree) into closures that read
// the record directly, and allocate nothing when the environment is
// reused (BenchmarkScopeAndCondition compares them with the VM and with
// the same test written in Go). The closures cover what scopes, conditions, clocks and per-item
// formulas use (fields, constants, comparisons, logic, arithmetic on
// decimals and durations, attributes, links, the clock functions and the
// functions of a ticket); an expression that uses anything else (list
// predicates, string builtins, let) runs on the program's VM, with the
// same results: a differential test evaluates a corpus of expressions both
// ways on random records, and requires the same values and the same
// errors, those of the bounds included (overflows, digits of decimals,
// lengths of texts). Period formulas, evaluated once per period, stay on
// the VM. The VM's evaluations, which may run predicates over long lists,
// stop when the context that [Interrupt] gives is cancelled.
//
//	p, err := dsl.Compile[dsl.Ticket](`priority == "P1" && elapsed <= 4h`, dsl.RuleCalendar(he))
//	f := fast.Compile(p, fast.Calendars{Rule: he})
//	ok, err := f.Bool(env)
//
// The closures read the fields of the environments through accessors
// generated from the records' expr tags (fields_gen.go, by go generate).
//
// An engine evaluating one scope over many records may skip most of the
// evaluations: [Program.TextInputs] names the text fields a program reads
// when they are all it reads (kind == "incident" && priority == "P1" has
// the same value for every ticket with the same kind and priority), and
// [Program.OpenTest] gives the calendar and the instant of a program that
// is is_open(cal, t), whose value holds until the calendar next opens or
// closes. Package sla keeps both from one record to the next.
package fast

//go:generate go test -run ^TestGeneratedFields$ -update
