package builder

import (
	"fmt"
	"strconv"
	"strings"
)

// Spec is one builder of a run spread over several: its address and how
// many job cells it takes at once, as `--builder ADDR,jobs=N,ca=F,...` or
// a `builders:` entry of the configuration gives it.
type Spec struct {
	Address Address
	// Jobs is jobs=N; 0 lets the placement decide (the builder's CPUs
	// when known, else one per worker).
	Jobs int
}

// Name is how reports and placement decisions name the builder: its
// address as the user wrote it.
func (s Spec) Name() string { return s.Address.Addr }

// ParseSpec reads `ADDR[,jobs=N][,ca=FILE][,cert=FILE][,key=FILE]` and
// validates the address (form and TLS files, see [Address.Validate]). No
// address form BuildKit takes contains a comma, so the first comma ends
// the address.
func ParseSpec(s string) (Spec, error) {
	parts := strings.Split(strings.TrimSpace(s), ",")
	sp := Spec{Address: Address{Addr: strings.TrimSpace(parts[0])}}
	bad := func(format string, args ...any) error {
		return &AddressError{Addr: sp.Address.Addr, Msg: fmt.Sprintf(format, args...)}
	}
	seen := map[string]bool{}
	for _, p := range parts[1:] {
		p = strings.TrimSpace(p)
		k, v, ok := strings.Cut(p, "=")
		if !ok || v == "" {
			return Spec{}, bad("setting %q: expected KEY=VALUE with KEY one of jobs, ca, cert, key (as in ADDR,jobs=4,ca=ca.pem)", p)
		}
		if seen[k] {
			return Spec{}, bad("%s= is given twice", k)
		}
		seen[k] = true
		switch k {
		case "jobs":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return Spec{}, bad("jobs=%s: expected a whole number of at least 1", v)
			}
			sp.Jobs = n
		case "ca":
			sp.Address.CA = v
		case "cert":
			sp.Address.Cert = v
		case "key":
			sp.Address.Key = v
		default:
			return Spec{}, bad("unknown setting %q: expected jobs, ca, cert or key", k)
		}
	}
	if err := sp.Address.Validate(); err != nil {
		return Spec{}, err
	}
	return sp, nil
}

// CheckSpecs rejects a list that names one builder twice: placement and
// reports tell builders apart by address.
func CheckSpecs(specs []Spec) error {
	seen := map[string]bool{}
	for _, s := range specs {
		if seen[s.Name()] {
			return &AddressError{Addr: s.Name(), Msg: "given twice: give each builder once"}
		}
		seen[s.Name()] = true
	}
	return nil
}
