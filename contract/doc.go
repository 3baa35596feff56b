// Package contract reads an outsourcing contract from its file and
// compiles it: parties and term, calendars, work units and prices, price
// revision, SLA rules and the penalty pipeline.
//
//	c, err := contract.Load("acme.yaml")
//	for _, r := range c.Rules() { fmt.Println(r.ID, r.Objective.Text) }
//	inv, err := c.Invoice(c.PeriodOf(contract.Month, t), volumes, nil)
//
// A contract is a YAML file (JSON is YAML too) whose format is documented
// key by key in docs/contract-format.md, with the reference contract in
// examples/contracts/acme.yaml. Unknown keys are rejected; every
// expression is compiled and type-checked at load against the record type
// of its rule (see package dsl); names of calendars, work units and rules
// are resolved; tier tables are checked for gaps and overlaps. A contract
// that loads is a contract that runs.
//
// # Errors
//
// Parse reports every error of the file at once, sorted by position, as an
// ErrorList of *Error values: file:line:col, the line with a caret under
// the fault, and a hint:
//
//	acme.yaml:42:12: rule INC-P1, scope: unknown name priorty
//	        scope: priorty == "P1"
//	               ^
//	    did you mean "priority"?
//
// errors.Is tells the kind: ErrSchema (a key or a value of the wrong
// shape), ErrInvalid (a value that is wrong), ErrReference (an unknown
// name), ErrDuplicate, and the codes of package dsl for expressions. An
// expression's errors and the file's are of one type: Error is
// dsl.Error, so errors.As finds a *dsl.Error in any error of Parse.
//
// # Limits
//
// A contract has at most [MaxFileSize] bytes ([Load] reads no more than
// that and one byte), [MaxRules] rules, [MaxCalendars] calendars,
// [MaxWorkUnits] work units, [MaxTableRows] rows in a table and
// [MaxRowsInTables] in all, and [MaxExpressions] distinct expressions of
// [MaxExpressionText] characters in all: an expression written in several
// places, or repeated by a YAML alias, is compiled once and counts once,
// and a rule repeated by an alias is refused as a duplicate before its
// expressions are compiled. Within these limits, loading any contract
// allocates less than 512 MB in all (a test builds the costliest it can),
// and most contracts a few megabytes. Each expression is bounded in its
// turn by package dsl: its length, its size and the work of one
// evaluation.
//
// # Defaults
//
// Where the file is silent: the measurement period is the month; a ticket
// counts in the period it is resolved, a call in the one it is offered, a
// sample at its instant, and outages are cut at period bounds; no
// observation period, franchise, repeat escalation or cap; penalties and
// bonuses rounded to the cent half up; bonuses set off against the
// period's penalties. A penalty component applies when the objective is
// breached and a bonus component when it is met, unless it says when.
//
// # Measures
//
// The measures an objective may compare with its threshold are the
// entries of [Measures], a table of plain data: each measure's name, its
// arguments, the sources of the rules that may use it, the settings it
// needs, the type and the [Unit] of its values, what it takes of each
// item ([ItemMeasure]) and how it makes the period's value of them
// ([Aggregate]). The loader reads objectives with it, the engine evaluates
// from it, and reports carry each rule's unit.
//
// # Model
//
// The accessors return copies: a Contract is immutable and safe for
// concurrent use. Each expression of the model is an Expr holding its
// text, position and compiled dsl.Program, typed by the environment it is
// about ([Program]), which the engine (package sla) runs.
package contract
