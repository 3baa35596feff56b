package fast

import (
	"testing"
	"time"

	"github.com/pacte-sla/pacte"
	"github.com/pacte-sla/pacte/dsl"
)

// BenchmarkScopeAndCondition compares a typical scope and condition,
// priority == "P1" && elapsed <= 4h, compiled to closures and run on
// expr's VM, with the same test written by hand in Go.
func BenchmarkScopeAndCondition(b *testing.B) {
	const src = `priority == "P1" && elapsed <= 4h`
	vm, err := dsl.Compile[dsl.Ticket](src)
	if err != nil {
		b.Fatal(err)
	}
	p := Compile(vm, Calendars{})
	if !p.Compiled() {
		b.Fatal("not compiled to closures")
	}
	ticket := &pacte.Ticket{ID: "INC-1", Kind: "incident", Priority: "P1"}
	b.Run("impl=pacte/env=reused", func(b *testing.B) {
		env := &dsl.Ticket{Ticket: ticket}
		b.ReportAllocs()
		n := 0
		for i := 0; b.Loop(); i++ {
			env.Elapsed = time.Duration(i%8) * time.Hour
			ok, err := p.Bool(env)
			if err != nil {
				b.Fatal(err)
			}
			if ok {
				n++
			}
		}
		_ = n
	})
	b.Run("impl=pacte/env=new", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for i := 0; b.Loop(); i++ {
			env := dsl.Ticket{Ticket: ticket, Clock: dsl.Clock{Elapsed: time.Duration(i%8) * time.Hour}}
			ok, err := p.Bool(&env)
			if err != nil {
				b.Fatal(err)
			}
			if ok {
				n++
			}
		}
		_ = n
	})
	b.Run("impl=expr-vm", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for i := 0; b.Loop(); i++ {
			env := dsl.Ticket{Ticket: ticket, Clock: dsl.Clock{Elapsed: time.Duration(i%8) * time.Hour}}
			v, err := vm.Eval(&env)
			if err != nil {
				b.Fatal(err)
			}
			if v.(bool) {
				n++
			}
		}
		_ = n
	})
	b.Run("impl=go", func(b *testing.B) {
		hand := func(e *dsl.Ticket) bool { return e.Priority == "P1" && e.Elapsed <= 4*time.Hour }
		b.ReportAllocs()
		n := 0
		for i := 0; b.Loop(); i++ {
			env := dsl.Ticket{Ticket: ticket, Clock: dsl.Clock{Elapsed: time.Duration(i%8) * time.Hour}}
			if hand(&env) {
				n++
			}
		}
		_ = n
	})
}
