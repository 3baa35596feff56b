package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
	"github.com/pacte-sla/pacte/sla/ingest"
	"github.com/stretchr/testify/require"
)

// A feed made of the sample data's changes gives the events the replay of
// the same data gives.
func TestWatchFeedAgreesWithReplay(t *testing.T) {
	c, err := contract.Load(filepath.Join(root, acme))
	require.NoError(t, err)
	m, err := ingest.LoadMapping(filepath.Join(root, "examples/data/servicenow.yaml"))
	require.NoError(t, err)
	f, err := os.Open(filepath.Join(root, "examples/data/incidents.csv"))
	require.NoError(t, err)
	defer f.Close()
	rd, err := ingest.ReadTickets(f, m, ingest.Options{Location: c.Location()})
	require.NoError(t, err)
	from, to := time.Date(2027, 5, 17, 0, 0, 0, 0, c.Location()), time.Date(2027, 5, 21, 0, 0, 0, 0, c.Location())
	var lines strings.Builder
	enc := json.NewEncoder(&lines)
	for x := range sla.Replay(rd.Records(), from, to, 30*time.Minute) {
		require.NoError(t, enc.Encode(feedLine{At: x.At, Ticket: x.Ticket}))
	}
	require.NoError(t, rd.Err())
	dir := t.TempDir()
	writeFile(t, dir, "feed.jsonl", lines.String())

	replay := run1(t, "watch", acme, "-tickets", "examples/data/incidents.csv", "-mapping", "examples/data/servicenow.yaml",
		"-from", "2027-05-17", "-to", "2027-05-21", "-tick", "30m", "-format", "json")
	require.Equal(t, 0, replay.code, replay.stderr)
	fed := run1(t, "watch", acme, "-feed", filepath.Join(dir, "feed.jsonl"), "-format", "json")
	require.Equal(t, 0, fed.code, fed.stderr)
	// The replay leaves out what happened before its span: the state of
	// the tickets at its start, which the feed's first updates bring.
	var inSpan []string
	for _, line := range strings.SplitAfter(fed.stdout, "\n") {
		var ev sla.Event
		if line != "" && (json.Unmarshal([]byte(line), &ev) != nil || !ev.At.Before(from)) {
			inSpan = append(inSpan, line)
		}
	}
	require.Greater(t, len(inSpan), 10)
	require.Equal(t, replay.stdout, strings.Join(inSpan, ""))
}

// The events of an input are written before the next input is read: a
// tool piping its changes in reads them as they happen. A line that
// cannot be read is said with its number, and the watch goes on.
func TestWatchFeedStreams(t *testing.T) {
	cmd := exec.Command(binary, "watch", acme, "-feed", "-")
	cmd.Dir = root
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	next := func() string {
		t.Helper()
		select {
		case l, ok := <-lines:
			require.True(t, ok, "the output ended before the events") // stderr is read once the command has ended
			return l
		case <-time.After(time.Minute):
			t.Fatal("no event while the feed waits for its next line")
		}
		return ""
	}
	write := func(s string) {
		t.Helper()
		_, err := stdin.Write([]byte(s + "\n"))
		require.NoError(t, err)
	}
	// A Tuesday: ACK allows 30 min of HE time.
	write(`{"at": "2027-05-18T09:00:00+02:00", "ticket": {"id": "INC1", "kind": "incident", "priority": "P1", "opened": "2027-05-18T09:00:00+02:00"}}`)
	write(`{"at": "2027-05-18T09:20:00+02:00"}`)
	require.Equal(t, "2027-05-18 09:15  threshold  ACK          INC1  50 %", next())
	write(`not JSON`)
	write(`{"at": "2027-05-18T09:40:00+02:00", "tick": true}`)
	write(`{"at": "2027-05-18T09:40:00+02:00"}`)
	for _, want := range []string{"09:22  threshold  ACK          INC1  75 %", "09:27  threshold  ACK          INC1  90 %", "09:30  breached   ACK          INC1"} {
		require.Equal(t, "2027-05-18 "+want, next())
	}
	require.NoError(t, stdin.Close())
	for range lines {
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit)
	require.Equal(t, 1, exit.ExitCode())
	require.Contains(t, stderr.String(), "feed line 3: invalid character")
	require.Contains(t, stderr.String(), `feed line 4: json: unknown field "tick"`)
}

// A feed brings the tickets and the instants: the replay's flags are
// refused beside it.
func TestWatchFeedUsage(t *testing.T) {
	r := run1(t, "watch", acme, "-feed", "-", "-tickets", "examples/data/incidents.csv")
	require.Equal(t, 2, r.code)
	require.Contains(t, r.stderr, "-feed and -tickets are exclusive")
	r = run1(t, "watch", acme, "-feed", "-", "-from", "2027-05-17")
	require.Equal(t, 2, r.code)
	require.Contains(t, r.stderr, "a feed brings its own instants")
	r = run1(t, "watch", acme, "-feed", "no/such/feed.jsonl")
	require.NotEqual(t, 0, r.code)
	require.Contains(t, r.stderr, "no/such/feed.jsonl")
}

// Whatever a feed's line holds, reading it returns an input with its
// instant or an error, and never panics.
func FuzzFeedLine(f *testing.F) {
	f.Add([]byte(`{"at": "2027-05-17T09:00:00+02:00"}`))
	f.Add([]byte(`{"at": "2027-05-17T09:00:00+02:00", "ticket": {"id": "INC1", "kind": "incident", "opened": "2027-05-17T08:00:00+02:00"}}`))
	f.Add([]byte(`{"at": "2027-05-17T09:00:00+02:00"} {"at": "2027-05-17T10:00:00+02:00"}`))
	f.Add([]byte(`{"tick": true}`))
	f.Add([]byte(`{"at": null, "ticket": null}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		x, err := readFeedLine(line)
		if err == nil {
			require.False(t, x.At.IsZero(), "an input without its instant")
		}
	})
}
