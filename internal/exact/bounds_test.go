package exact

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestDigits(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"0", 1}, {"1.25", 3}, {"100", 3}, {"0.0001", 4}, {"-12.5", 3}, {"1e999", 1000}, {"1e-999", 999},
		{"123.45e-10", 12}, // 0.000000012345
	} {
		require.Equal(t, tt.want, Digits(dec(tt.in)), tt.in)
	}
}

// huge and tiny are decimals a record may hold: decimal's parser refuses
// them, but a program may build them.
var huge, tiny = decimal.New(1, 100000000), decimal.New(1, -100000000)

func TestDecimalBounds(t *testing.T) {
	big := dec("1e999")
	for _, tt := range []struct {
		name string
		f    func() (decimal.Decimal, error)
		ok   bool
	}{
		{"1e999 + 1 has 1,000 digits", func() (decimal.Decimal, error) { return Add(big, dec("1")) }, true},
		{"1e999 + 0.1 has 1,001", func() (decimal.Decimal, error) { return Add(big, dec("0.1")) }, false},
		{"1e999 − 0.1 has 1,000", func() (decimal.Decimal, error) { return Sub(big, dec("0.1")) }, true},
		{"1e999 − 0.01 has 1,001", func() (decimal.Decimal, error) { return Sub(big, dec("0.01")) }, false},
		{"1e500 × 1e499", func() (decimal.Decimal, error) { return Mul(dec("1e500"), dec("1e499")) }, true},
		{"1e500 × 1e500", func() (decimal.Decimal, error) { return Mul(dec("1e500"), dec("1e500")) }, false},
		{"1e999 / 3 has 1,016", func() (decimal.Decimal, error) { return Div(big, dec("3")) }, false},
		{"an operand of a record far out of range", func() (decimal.Decimal, error) { return Add(huge, dec("1")) }, false},
		{"a tiny operand", func() (decimal.Decimal, error) { return Mul(tiny, dec("1")) }, false},
		{"ceil of a tiny one", func() (decimal.Decimal, error) { return Ceil(tiny) }, false},
		{"floor of a huge one", func() (decimal.Decimal, error) { return Floor(huge) }, false},
		{"round of a tiny one", func() (decimal.Decimal, error) { return RoundDecimal(tiny, 2) }, false},
		{"a text of 1e5000", func() (decimal.Decimal, error) { return ParseDecimal("1e5000") }, false},
		{"a text of 3,000 digits", func() (decimal.Decimal, error) { return ParseDecimal(strings.Repeat("9", 3000)) }, false},
		{"a text of 1,000 digits", func() (decimal.Decimal, error) { return ParseDecimal(strings.Repeat("9", 1000)) }, true},
	} {
		_, err := tt.f()
		if tt.ok {
			require.NoError(t, err, tt.name)
		} else {
			require.ErrorIs(t, err, ErrLimit, tt.name)
			require.EqualError(t, err, "a decimal of more than 1000 digits, beyond what the language computes", tt.name)
		}
	}
	_, err := ScaleDuration(time.Hour, tiny)
	require.ErrorIs(t, err, ErrLimit)
	_, err = DivDurationDecimal(time.Hour, huge)
	require.ErrorIs(t, err, ErrLimit)
}

// TestCmp compares decimals far apart without writing them out (a
// comparison of 1e100000000 with 4 took minutes), and agrees with
// decimal's Cmp wherever that one is quick.
func TestCmp(t *testing.T) {
	for _, tt := range []struct {
		a, b decimal.Decimal
		want int
	}{
		{huge, dec("4"), 1}, {dec("4"), huge, -1}, {huge.Neg(), dec("4"), -1},
		{huge.Neg(), dec("-4"), -1}, {tiny, dec("0"), 1}, {tiny, dec("0.5"), -1},
		{tiny.Neg(), dec("-0.5"), 1}, {decimal.New(0, 100000000), dec("0"), 0},
		{decimal.New(12, 100000000), decimal.New(120, 99999999), 0}, {decimal.New(12, 100000000), decimal.New(121, 99999999), -1},
		{dec("1.10"), dec("1.1"), 0}, {dec("2"), dec("1.999"), 1}, {huge, tiny, 1},
	} {
		require.Equal(t, tt.want, Cmp(tt.a, tt.b), "%s vs %s", tt.a, tt.b)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		a := decimal.New(r.Int64N(2001)-1000, int32(r.IntN(61)-30))
		b := decimal.New(r.Int64N(2001)-1000, int32(r.IntN(61)-30))
		require.Equal(t, a.Cmp(b), Cmp(a, b), "%s vs %s", a, b)
	}
}

func TestIntOverflow(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    func() (int, error)
		want int
		err  string
	}{
		{"max + 1", func() (int, error) { return AddInt(math.MaxInt, 1) }, 0, "integer overflow: 9223372036854775807 + 1"},
		{"min + -1", func() (int, error) { return AddInt(math.MinInt, -1) }, 0, "integer overflow: -9223372036854775808 + (-1)"},
		{"max + -1", func() (int, error) { return AddInt(math.MaxInt, -1) }, math.MaxInt - 1, ""},
		{"min - 1", func() (int, error) { return SubInt(math.MinInt, 1) }, 0, "integer overflow: -9223372036854775808 - 1"},
		{"0 - min", func() (int, error) { return SubInt(0, math.MinInt) }, 0, "integer overflow: 0 - (-9223372036854775808)"},
		{"-1 - min", func() (int, error) { return SubInt(-1, math.MinInt) }, math.MaxInt, ""},
		{"2^32 × 2^31", func() (int, error) { return MulInt(1<<32, 1<<31) }, 0, "integer overflow: 4294967296 * 2147483648"},
		{"-2^32 × 2^31", func() (int, error) { return MulInt(-1<<32, 1<<31) }, math.MinInt, ""},
		{"min × -1", func() (int, error) { return MulInt(math.MinInt, -1) }, 0, "integer overflow: -9223372036854775808 * (-1)"},
		{"-min", func() (int, error) { return NegInt(math.MinInt) }, 0, "integer overflow: -(-9223372036854775808)"},
		{"|min|", func() (int, error) { return AbsInt(math.MinInt) }, 0, "integer overflow: -(-9223372036854775808)"},
		{"|-3|", func() (int, error) { return AbsInt(-3) }, 3, ""},
	} {
		got, err := tt.f()
		if tt.err != "" {
			require.EqualError(t, err, tt.err, tt.name)
			continue
		}
		require.NoError(t, err, tt.name)
		require.Equal(t, tt.want, got, tt.name)
	}
}

// TestCheckedArithmetic compares the checked operations with big integers
// on random operands, near the bounds most of the time.
func TestCheckedArithmetic(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	operand := func() int64 {
		switch r.IntN(4) {
		case 0:
			return r.Int64N(2001) - 1000
		case 1:
			return math.MaxInt64 - r.Int64N(3)
		case 2:
			return math.MinInt64 + r.Int64N(3)
		}
		return int64(r.Uint64()) >> r.IntN(64)
	}
	fits := func(z *big.Int) bool { return z.IsInt64() }
	for range 20000 {
		a, b := operand(), operand()
		x, y := big.NewInt(a), big.NewInt(b)
		for _, op := range []struct {
			name string
			got  func() (int64, error)
			want *big.Int
		}{
			{"+", func() (int64, error) { v, err := AddInt(int(a), int(b)); return int64(v), err }, new(big.Int).Add(x, y)},
			{"-", func() (int64, error) { v, err := SubInt(int(a), int(b)); return int64(v), err }, new(big.Int).Sub(x, y)},
			{"*", func() (int64, error) { v, err := MulInt(int(a), int(b)); return int64(v), err }, new(big.Int).Mul(x, y)},
			{"d+", func() (int64, error) { v, err := AddDuration(time.Duration(a), time.Duration(b)); return int64(v), err }, new(big.Int).Add(x, y)},
			{"d-", func() (int64, error) { v, err := SubDuration(time.Duration(a), time.Duration(b)); return int64(v), err }, new(big.Int).Sub(x, y)},
			{"d*", func() (int64, error) { v, err := MulDuration(time.Duration(a), int(b)); return int64(v), err }, new(big.Int).Mul(x, y)},
		} {
			got, err := op.got()
			if !fits(op.want) {
				require.Error(t, err, "%d %s %d", a, op.name, b)
				continue
			}
			require.NoError(t, err, "%d %s %d", a, op.name, b)
			require.Equal(t, op.want.Int64(), got, "%d %s %d", a, op.name, b)
		}
	}
}

func TestDurationOverflow(t *testing.T) {
	maxD := time.Duration(math.MaxInt64)
	_, err := AddDuration(maxD, time.Nanosecond)
	require.EqualError(t, err, "duration overflow: 2562047h47min16s854ms775us807ns + 1ns")
	_, err = SubDuration(-maxD, 2*time.Nanosecond)
	require.EqualError(t, err, "duration overflow: -2562047h47min16s854ms775us807ns - 2ns")
	_, err = MulDuration(time.Hour, 1<<40)
	require.EqualError(t, err, "duration overflow: 1h * 1099511627776")
	_, err = NegDuration(math.MinInt64)
	require.ErrorContains(t, err, "duration overflow: -(-")
	_, err = DivDurationInt(math.MinInt64, -1)
	require.ErrorContains(t, err, "duration overflow")
	d, err := AbsDuration(-time.Hour)
	require.NoError(t, err)
	require.Equal(t, time.Hour, d)
}

func TestTextBounds(t *testing.T) {
	half := strings.Repeat("x", MaxText/2)
	s, err := Concat(half, half)
	require.NoError(t, err)
	require.Len(t, s, MaxText)
	_, err = Concat(s, "y")
	require.ErrorIs(t, err, ErrLimit)
	require.EqualError(t, err, "a text of 1048577 bytes, more than the 1048576 an expression may build")

	for _, tt := range []struct {
		name string
		f    func() (string, error)
		want string // "" when it must fail
	}{
		{"repeat", func() (string, error) { return Repeat("ab", 3) }, "ababab"},
		{"repeat beyond", func() (string, error) { return Repeat("ab", MaxText) }, ""},
		{"repeat overflowing", func() (string, error) { return Repeat("ab", math.MaxInt) }, ""},
		{"repeat zero", func() (string, error) { return Repeat(half, 0) }, "-"},
		{"replace", func() (string, error) { return Replace("a,b,c", ",", ";", -1) }, "a;b;c"},
		{"replace twice", func() (string, error) { return Replace("a,b,c", ",", ";", 1) }, "a;b,c"},
		{"replace growing", func() (string, error) { return Replace(half, "", half, -1) }, ""},
		{"replace growing once", func() (string, error) { return Replace(half, "x", half, 1) }, "-"},
		{"join", func() (string, error) { return Join([]string{"a", "b"}, ", ") }, "a, b"},
		{"join beyond", func() (string, error) { return Join([]string{half, half, half}, "") }, ""},
		{"join nothing", func() (string, error) { return Join(nil, "x") }, "-"},
	} {
		got, err := tt.f()
		switch tt.want {
		case "":
			require.ErrorIs(t, err, ErrLimit, tt.name)
		case "-":
			require.NoError(t, err, tt.name)
		default:
			require.NoError(t, err, tt.name)
			require.Equal(t, tt.want, got, tt.name)
		}
	}
	_, err = Repeat("x", -1)
	require.EqualError(t, err, "repeat: a negative count (-1)")
}
