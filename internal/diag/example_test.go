package diag_test

import (
	"fmt"

	"github.com/pacte-sla/pacte/internal/diag"
)

// A format's voice words what the decoder finds; the decoder places it.
func Example() {
	word := func(f diag.Fault) *diag.Error {
		switch f.Kind {
		case diag.UnknownKey:
			return &diag.Error{Msg: fmt.Sprintf("unknown key %q in %s", f.Key, f.What), Hint: fmt.Sprintf("did you mean %q?", f.Near)}
		case diag.NotValue, diag.WrongKind, diag.BadValue:
			return &diag.Error{Msg: fmt.Sprintf("%s must be %s, found %s", f.What, f.Want, f.Found)}
		}
		return &diag.Error{Msg: f.Msg}
	}
	d := diag.NewDecoder("desk.yaml", "desk", word)
	root := d.Parse([]byte("name: Lyon\nagnets: 12\nhours: [8, 18]\n"))
	for _, e := range d.Record(root, "the desk", "a mapping", []string{"name", "agents", "hours"}) {
		if e.Key.Value == "hours" {
			d.Int(e.Value, "hours", "a whole number")
		}
	}
	fmt.Println(d.Errs.Err())
	// Output:
	// 2 errors:
	// desk.yaml:2:1: unknown key "agnets" in the desk
	//     agnets: 12
	//     ^
	//     did you mean "agents"?
	// desk.yaml:3:8: hours must be a whole number, found a list
	//     hours: [8, 18]
	//            ^
}
