package diag

import (
	"fmt"
	"strings"
)

// FaultKind is a kind of fault the decoder finds in a YAML file.
type FaultKind int

// The faults of a YAML file.
const (
	NotText        FaultKind = iota // the file is not UTF-8 text
	Syntax                          // the file is not YAML: Reason says why
	SecondDocument                  // the file holds a second document
	WrongKind                       // a mapping or a list wanted (Want), something else found (Found)
	NotValue                        // a single value wanted (Want), a mapping, a list or nothing found (Found)
	BadValue                        // a value that does not read as Want: Found quotes it
	KeyNotName                      // a mapping key that is not a name: Found says what it is
	UnknownKey                      // a key (Key) that a record does not have (Known), maybe a typo of Near
	DuplicateKey                    // a key (Key) of a record given twice
	DuplicateName                   // a name (Key) a dictionary defines twice
)

// A Fault is what the decoder found wrong, before a file format words it.
type Fault struct {
	Kind         FaultKind
	Line, Column int      // where it is
	What         string   // the value at fault, as the caller named it: "the contract", "tickets[0].restore"
	Want         string   // what it should be: "a list", "a whole number"
	Found        string   // what it is: "a mapping", `"three"`
	Key          string   // the key at fault
	Known        []string // the keys of the record, in the caller's order
	Near         string   // the known key nearest to Key, when it is near enough to be a typo
	Hint         string   // a hint of the reader: "write decimals with a dot: 11.50"
	Reason       string   // the YAML library's message (Syntax)

	// Msg is the decoder's own wording of the faults of a whole file
	// (NotText, Syntax, SecondDocument), which a voice may keep.
	Msg string
}

// A Voice words the faults of one file format: the error it returns is
// reported as it is, its File and Text set by the decoder. Each format
// keeps its own messages, which its users read and its tests pin; what
// is wrong, and where, is found once, by the decoder.
type Voice func(Fault) *Error

// Join appends a key to a dotted path of keys: tickets[0] and restore give
// tickets[0].restore.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Sentences is the voice of contract files, and of the clause tests
// written beside them: each fault a sentence that names the value at
// fault ("term must be a mapping of keys to values, found a list"), with
// the codes of the format for its three kinds of fault.
type Sentences struct {
	Schema    error // a key or a value of the wrong kind
	Invalid   error // a value that does not read as what it should be
	Duplicate error // a key or a name given twice
}

// Word words f.
func (s Sentences) Word(f Fault) *Error {
	e := &Error{Code: s.Schema, Msg: f.Msg}
	switch f.Kind {
	case NotValue:
		e.Msg = fmt.Sprintf("%s must be a value, found %s", f.What, f.Found)
	case WrongKind, BadValue:
		e.Msg = fmt.Sprintf("%s must be %s, found %s", f.What, f.Want, f.Found)
		if f.Kind == BadValue {
			e.Code, e.Hint = s.Invalid, f.Hint
		}
	case KeyNotName:
		e.Msg = f.What + ": keys must be names"
	case UnknownKey:
		e.Msg = fmt.Sprintf("unknown key %q in %s", f.Key, f.What)
		e.Hint = "keys: " + strings.Join(f.Known, ", ")
		if f.Near != "" {
			e.Hint = fmt.Sprintf("did you mean %q?", f.Near)
		}
	case DuplicateKey:
		e.Code, e.Msg = s.Duplicate, fmt.Sprintf("key %q given twice in %s", f.Key, f.What)
	case DuplicateName:
		e.Code, e.Msg = s.Duplicate, fmt.Sprintf("%q is defined twice in %s", f.Key, f.What)
	}
	return e
}
