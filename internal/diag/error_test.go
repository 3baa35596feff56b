package diag

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var errCode = errors.New("code")

func TestErrorFormat(t *testing.T) {
	for _, tt := range []struct {
		name string
		e    Error
		want string
	}{
		{"in a file", Error{File: "a.yaml", Line: 3, Column: 5, Msg: "wrong"}, "a.yaml:3:5: wrong"},
		{"an expression alone", Error{Line: 1, Column: 7, Msg: "wrong"}, "1:7: wrong"},
		{"nowhere", Error{Msg: "wrong"}, "wrong"},
		{"rule and field", Error{File: "a.yaml", Line: 3, Column: 5, Rule: "rule R1", Field: "scope", Msg: "wrong"}, "a.yaml:3:5: rule R1, scope: wrong"},
		{"field alone", Error{File: "a.yaml", Line: 3, Column: 5, Field: "tickets[0]", Msg: "wrong"}, "a.yaml:3:5: tickets[0]: wrong"},
		{"item", Error{Rule: "rule R1", Item: "INC1", Msg: "division by zero"}, "rule R1: item INC1: division by zero"},
		{"snippet and hint", Error{File: "a.yaml", Line: 2, Column: 4, Text: "a:\tpriorty", Msg: "unknown name priorty", Hint: `did you mean "priority"?`},
			"a.yaml:2:4: unknown name priorty\n    a: priorty\n       ^\n    did you mean \"priority\"?"},
		{"no caret without a column", Error{File: "a.yaml", Line: 2, Text: "a: b", Msg: "wrong"}, "a.yaml:2: wrong"},
		// A line of a hostile file may be megabytes long: the snippet is
		// the part of it around the caret.
		{"a long line at its start", Error{File: "a.yaml", Line: 2, Column: 1, Text: strings.Repeat("[", 100000), Msg: "too deep"},
			"a.yaml:2:1: too deep\n    " + strings.Repeat("[", 160) + "…\n    ^"},
		{"a long line in its middle", Error{File: "a.yaml", Line: 1, Column: 500, Text: strings.Repeat("é", 499) + "x" + strings.Repeat("é", 500), Msg: "wrong"},
			"a.yaml:1:500: wrong\n    …" + strings.Repeat("é", 80) + "x" + strings.Repeat("é", 79) + "…\n    " + strings.Repeat(" ", 81) + "^"},
		{"a long line at its end", Error{File: "a.yaml", Line: 1, Column: 1001, Text: strings.Repeat("a", 1000), Msg: "wrong"},
			"a.yaml:1:1001: wrong\n    …" + strings.Repeat("a", 160) + "\n    " + strings.Repeat(" ", 161) + "^"},
	} {
		require.Equal(t, tt.want, tt.e.Error(), tt.name)
	}
}

func TestWhere(t *testing.T) {
	require.Equal(t, "f:1:2: ", Where("f", 1, 2))
	require.Equal(t, "f:1: ", Where("f", 1, 0))
	require.Equal(t, "f: ", Where("f", 0, 0))
	require.Equal(t, "line 4: ", Where("", 4, 2))
	require.Equal(t, "", Where("", 0, 0))
}

func TestList(t *testing.T) {
	require.NoError(t, List(nil).Err())
	require.Equal(t, "no errors", List(nil).Error())
	l := List{
		{File: "b", Line: 1, Column: 1, Msg: "4", Code: errCode},
		{File: "a", Line: 2, Column: 1, Msg: "3"},
		{File: "a", Line: 1, Column: 9, Msg: "2"},
		{File: "a", Line: 1, Column: 2, Msg: "1"},
		{File: "a", Line: 1, Column: 9, Msg: "2b"}, // found after "2", at its place: after it
	}
	err := l.Err()
	require.Equal(t, "5 errors:\na:1:2: 1\na:1:9: 2\na:1:9: 2b\na:2:1: 3\nb:1:1: 4", err.Error())
	require.ErrorIs(t, err, errCode)
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, "1", e.Msg)
	require.Equal(t, "a:1:2: 1", List{l[0]}.Error())
	require.NotErrorIs(t, &Error{Msg: "no code"}, errCode)
}
