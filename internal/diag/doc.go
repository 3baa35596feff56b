// Package diag is what pacte's file readers share: positioned errors, the
// "did you mean" suggestion of names, and the decoding of YAML nodes.
//
// # Errors
//
// [Error] is a fault with its file, line and column, the line of text for
// a snippet with a caret under the fault, a code for errors.Is and a hint;
// [List] is every error of a file at once, sorted by position. Package dsl
// (dsl.Error, dsl.ErrorList) and package contract (contract.Error,
// contract.ErrorList) name these types: a contract's errors and its
// expressions' are of one type, and so are the clause tests'. The scenario
// and mapping readers keep their own public error types, converted from
// these where they are returned.
//
// # Suggestions
//
// [Suggest] is the one source of "did you mean" hints: of a key in a
// file, of a name in an expression, of a calendar or a work unit.
//
// # Decoding
//
// A [Decoder] reads a file's YAML tree node by node, resolving aliases,
// checking the kind of every node, rejecting unknown and repeated keys,
// reading numbers, decimals, booleans and dates, and mapping an offset in
// a value back to the file ([Decoder.Locate]). It collects every fault
// rather than stopping at the first. What is wrong is found here; how it
// is said is the file format's: a [Voice] words each [Fault], so that a
// contract says "term must be a mapping of keys to values, found a list"
// ([Sentences], the voice of contracts and clause tests) and a scenario
// "term: want a mapping, not a list".
//
//	voice := diag.Sentences{Schema: ErrSchema, Invalid: ErrInvalid, Duplicate: ErrDuplicate}
//	d := diag.NewDecoder("acme.yaml", "contract", voice.Word)
//	root := d.Parse(data)
//	for _, e := range d.Record(root, "the contract", "a mapping of keys to values", keys) {
//		...
//	}
//	return d.Errs.Err()
package diag
