package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/pacte-sla/pacte/contract"
	"github.com/pacte-sla/pacte/sla"
)

// provenance is what a report of eval was made from: pacte's version, the
// contract and the input files with their SHA-256 and their paths
// relative to the report's folder (the folder of -o, else the current
// one), the digests of the volumes and index values, and the settings
// that change the figures.
func (o *evalOptions) provenance(contractPath string, in *evalInput) (*sla.Provenance, error) {
	digest, err := digester(o.out)
	if err != nil {
		return nil, err
	}
	p := &sla.Provenance{Pacte: version(), Settings: map[string]string{}}
	if p.Contract, err = digest("contract", contractPath); err != nil {
		return nil, err
	}
	for _, f := range o.inputFiles() {
		d, err := digest(f.role, f.path)
		if err != nil {
			return nil, err
		}
		p.Inputs = append(p.Inputs, d)
	}
	if len(in.volumes) > 0 {
		p.Volumes = valuesSHA256(in.volumes)
	}
	if len(in.indices) > 0 {
		p.Indices = valuesSHA256(in.indices)
	}
	for k, v := range map[string]string{"asof": o.asOf, "from": o.from, "to": o.to, "preset": o.preset, "encoding": o.encoding} {
		if v != "" {
			p.Settings[k] = v
		}
	}
	if o.allowDuplicates {
		p.Settings["allow-duplicates"] = strconv.FormatBool(true)
	}
	return p, nil
}

// digester returns the digest of a file with its path relative to the
// report's folder: the folder of out, else the current one.
func digester(out string) (func(role, path string) (sla.FileDigest, error), error) {
	base, err := os.Getwd()
	if err != nil {
		return nil, inputError{err}
	}
	if out != "" && out != "-" {
		base = filepath.Dir(absPath(base, out))
	}
	return func(role, path string) (sla.FileDigest, error) {
		sum, err := fileSHA256(path)
		if err != nil {
			return sla.FileDigest{}, inputError{err}
		}
		rel, err := filepath.Rel(base, absPath("", path))
		if err != nil {
			rel = absPath("", path)
		}
		return sla.FileDigest{Role: role, Path: filepath.ToSlash(rel), SHA256: sum}, nil
	}, nil
}

// provenance is what a report of merge was made from: pacte's version, the
// contract, the states in their order and the volumes and index files,
// with their SHA-256 and their paths relative to the report's folder, and
// the digests of the volumes and index values. pacte verify merges the
// states again; the states' own records are not named: they were read
// elsewhere, by the evals that wrote them.
func (o *mergeOptions) provenance(contractPath string, states []string, volumes volumesFile, indices contract.Indices) (*sla.Provenance, error) {
	digest, err := digester(o.out)
	if err != nil {
		return nil, err
	}
	p := &sla.Provenance{Pacte: version()}
	if p.Contract, err = digest("contract", contractPath); err != nil {
		return nil, err
	}
	files := make([]roleFile, 0, len(states)+2)
	for _, s := range states {
		files = append(files, roleFile{stateRole, s})
	}
	for _, f := range []roleFile{{"volumes", o.volumes}, {"indices", o.indices}} {
		if f.path != "" {
			files = append(files, f)
		}
	}
	for _, f := range files {
		d, err := digest(f.role, f.path)
		if err != nil {
			return nil, err
		}
		p.Inputs = append(p.Inputs, d)
	}
	if len(volumes) > 0 {
		p.Volumes = valuesSHA256(volumes)
	}
	if len(indices) > 0 {
		p.Indices = valuesSHA256(indices)
	}
	return p, nil
}

// stateRole is the role of the states a merged report was made from.
const stateRole = "state"

// roleFile is an input file of eval and its role, its flag's name.
type roleFile struct{ role, path string }

// inputFiles are the files eval reads besides the contract, in a fixed
// order.
func (o *evalOptions) inputFiles() []roleFile {
	var out []roleFile
	for _, f := range []roleFile{{"tickets", o.tickets}, {"mapping", o.mapping}, {"calls", o.calls}, {"outages", o.outages},
		{"samples", o.samples}, {"volumes", o.volumes}, {"indices", o.indices}, {"adjustments", o.adjustments}} {
		if f.path != "" {
			out = append(out, f)
		}
	}
	return out
}

// setInput sets the file of a role, as inputFiles names it.
func (o *evalOptions) setInput(role, path string) bool {
	for _, p := range []struct {
		role string
		dst  *string
	}{{"tickets", &o.tickets}, {"mapping", &o.mapping}, {"calls", &o.calls}, {"outages", &o.outages},
		{"samples", &o.samples}, {"volumes", &o.volumes}, {"indices", &o.indices}, {"adjustments", &o.adjustments}} {
		if p.role == role {
			*p.dst = path
			return true
		}
	}
	return false
}

func absPath(base, path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	if base == "" {
		if abs, err := filepath.Abs(path); err == nil {
			return abs
		}
		return path
	}
	return filepath.Join(base, path)
}

// fileSHA256 is the SHA-256 of a file's bytes, in hex.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// valuesSHA256 is the SHA-256 of values as JSON, maps' keys sorted, so
// that the same values give the same digest whatever file held them.
func valuesSHA256(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
