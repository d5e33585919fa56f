package toolchain

// This file ports the parts of node-semver v7 (npm/node-semver:
// internal/re.js, classes/semver.js, classes/range.js,
// classes/comparator.js, functions/clean.js, functions/coerce.js) that
// @actions/tool-cache and the setup-* actions use to pick a version:
// satisfies, validRange, clean, valid and coerce. Ranges behave exactly as
// on GitHub, quirks included: "3.11" is a range (>=3.11.0 <3.12.0-0), a
// prerelease only satisfies a range that names a prerelease of the same
// major.minor.patch, and loose mode reads "~=3.10" as "~3.10".

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

const (
	maxSemverLength = 256
	maxSafeInteger  = 1<<53 - 1
)

// Regular expressions of node-semver internal/re.js (v7.6), built the same way.
var (
	numericIdentifier         = `0|[1-9]\d*`
	numericIdentifierLoose    = `\d+`
	nonNumericIdentifier      = `\d*[a-zA-Z-][a-zA-Z0-9-]*`
	mainVersion               = `(` + numericIdentifier + `)\.(` + numericIdentifier + `)\.(` + numericIdentifier + `)`
	mainVersionLoose          = `(` + numericIdentifierLoose + `)\.(` + numericIdentifierLoose + `)\.(` + numericIdentifierLoose + `)`
	prereleaseIdentifier      = `(?:` + nonNumericIdentifier + `|` + numericIdentifier + `)`
	prereleaseIdentifierLoose = `(?:` + nonNumericIdentifier + `|` + numericIdentifierLoose + `)`
	prerelease                = `(?:-(` + prereleaseIdentifier + `(?:\.` + prereleaseIdentifier + `)*))`
	prereleaseLoose           = `(?:-?(` + prereleaseIdentifierLoose + `(?:\.` + prereleaseIdentifierLoose + `)*))`
	buildIdentifier           = `[a-zA-Z0-9-]+`
	build                     = `(?:\+(` + buildIdentifier + `(?:\.` + buildIdentifier + `)*))`
	fullPlain                 = `v?` + mainVersion + prerelease + `?` + build + `?`
	loosePlain                = `[v=\s]*` + mainVersionLoose + prereleaseLoose + `?` + build + `?`
	gtlt                      = `((?:<|>)?=?)`
	xRangeIdentifier          = numericIdentifier + `|x|X|\*`
	xRangeIdentifierLoose     = numericIdentifierLoose + `|x|X|\*`
	xRangePlain               = `[v=\s]*(` + xRangeIdentifier + `)(?:\.(` + xRangeIdentifier + `)(?:\.(` + xRangeIdentifier + `)(?:` + prerelease + `)?` + build + `?)?)?`
	xRangePlainLoose          = `[v=\s]*(` + xRangeIdentifierLoose + `)(?:\.(` + xRangeIdentifierLoose + `)(?:\.(` + xRangeIdentifierLoose + `)(?:` + prereleaseLoose + `)?` + build + `?)?)?`
	loneTilde                 = `(?:~>?)`
	loneCaret                 = `(?:\^)`

	reFull            = lazyRegexp(`^` + fullPlain + `$`)
	reLoose           = lazyRegexp(`^` + loosePlain + `$`)
	reXRange          = lazyRegexp(`^` + gtlt + `\s*` + xRangePlain + `$`)
	reXRangeLoose     = lazyRegexp(`^` + gtlt + `\s*` + xRangePlainLoose + `$`)
	reTildeTrim       = lazyRegexp(`(\s*)` + loneTilde + `\s+`)
	reTilde           = lazyRegexp(`^` + loneTilde + xRangePlain + `$`)
	reTildeLoose      = lazyRegexp(`^` + loneTilde + xRangePlainLoose + `$`)
	reCaretTrim       = lazyRegexp(`(\s*)` + loneCaret + `\s+`)
	reCaret           = lazyRegexp(`^` + loneCaret + xRangePlain + `$`)
	reCaretLoose      = lazyRegexp(`^` + loneCaret + xRangePlainLoose + `$`)
	reComparator      = lazyRegexp(`^` + gtlt + `\s*(` + fullPlain + `)$|^$`)
	reComparatorLoose = lazyRegexp(`^` + gtlt + `\s*(` + loosePlain + `)$|^$`)
	reComparatorTrim  = lazyRegexp(`(\s*)` + gtlt + `\s*(` + loosePlain + `|` + xRangePlain + `)`)
	reHyphen          = lazyRegexp(`^\s*(` + xRangePlain + `)\s+-\s+(` + xRangePlain + `)\s*$`)
	reHyphenLoose     = lazyRegexp(`^\s*(` + xRangePlainLoose + `)\s+-\s+(` + xRangePlainLoose + `)\s*$`)
	reStar            = lazyRegexp(`(<|>)?=?\s*\*`)
	reGTE0            = lazyRegexp(`^\s*>=\s*0\.0\.0\s*$`)
	reSpaces          = lazyRegexp(`\s+`)
	reNumeric         = lazyRegexp(`^[0-9]+$`)
	reCoerce          = lazyRegexp(`(^|[^\d])(\d{1,16})(?:\.(\d{1,16}))?(?:\.(\d{1,16}))?(?:$|[^\d])`)
)

// semver is a parsed version (classes/semver.js).
type semver struct {
	major, minor, patch int64
	pre                 []string // numeric identifiers in canonical decimal form
	build               []string
}

// String is SemVer.format: build metadata is not part of it.
func (v semver) String() string {
	s := fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch)
	if len(v.pre) > 0 {
		s += "-" + strings.Join(v.pre, ".")
	}
	return s
}

func parseSemver(s string, loose bool) (semver, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxSemverLength {
		return semver{}, fmt.Errorf("version %q is longer than %d characters", s, maxSemverLength)
	}
	re := reFull()
	if loose {
		re = reLoose()
	}
	m := re.FindStringSubmatch(s)
	if m == nil {
		return semver{}, fmt.Errorf("invalid version %q", s)
	}
	var v semver
	for i, p := range []*int64{&v.major, &v.minor, &v.patch} {
		n, err := strconv.ParseInt(m[i+1], 10, 64)
		if err != nil || n > maxSafeInteger {
			return semver{}, fmt.Errorf("invalid version %q", s)
		}
		*p = n
	}
	if m[4] != "" {
		for _, id := range strings.Split(m[4], ".") {
			if reNumeric().MatchString(id) {
				if n, err := strconv.ParseInt(id, 10, 64); err == nil && n < maxSafeInteger {
					id = strconv.FormatInt(n, 10)
				}
			}
			v.pre = append(v.pre, id)
		}
	}
	if m[5] != "" {
		v.build = strings.Split(m[5], ".")
	}
	return v, nil
}

// compare is SemVer.compare: main version, then prerelease precedence.
func (v semver) compare(o semver) int {
	for _, d := range [][2]int64{{v.major, o.major}, {v.minor, o.minor}, {v.patch, o.patch}} {
		switch {
		case d[0] < d[1]:
			return -1
		case d[0] > d[1]:
			return 1
		}
	}
	switch {
	case len(v.pre) > 0 && len(o.pre) == 0:
		return -1
	case len(v.pre) == 0 && len(o.pre) > 0:
		return 1
	}
	for i := 0; ; i++ {
		switch {
		case i >= len(v.pre) && i >= len(o.pre):
			return 0
		case i >= len(o.pre):
			return 1
		case i >= len(v.pre):
			return -1
		}
		if c := compareIdentifiers(v.pre[i], o.pre[i]); c != 0 {
			return c
		}
	}
}

func compareIdentifiers(a, b string) int {
	anum, bnum := reNumeric().MatchString(a), reNumeric().MatchString(b)
	if anum && bnum {
		x, _ := strconv.ParseUint(a, 10, 64)
		y, _ := strconv.ParseUint(b, 10, 64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	switch {
	case a == b:
		return 0
	case anum:
		return -1
	case bnum:
		return 1
	case a < b:
		return -1
	}
	return 1
}

// comparator is classes/comparator.js; any is the empty comparator.
type comparator struct {
	op  string
	ver semver
	any bool
}

func (c comparator) String() string {
	if c.any {
		return ""
	}
	return c.op + c.ver.String()
}

func parseComparatorValue(comp string, loose bool) (comparator, error) {
	comp = strings.Join(strings.Fields(comp), " ")
	re := reComparator()
	if loose {
		re = reComparatorLoose()
	}
	m := re.FindStringSubmatch(comp)
	if m == nil {
		return comparator{}, fmt.Errorf("invalid comparator %q", comp)
	}
	c := comparator{op: m[1]}
	if c.op == "=" {
		c.op = ""
	}
	if m[2] == "" {
		return comparator{any: true}, nil
	}
	v, err := parseSemver(m[2], loose)
	if err != nil {
		return comparator{}, err
	}
	c.ver = v
	return c, nil
}

func (c comparator) test(v semver) bool {
	if c.any {
		return true
	}
	d := v.compare(c.ver)
	switch c.op {
	case "":
		return d == 0
	case ">":
		return d > 0
	case ">=":
		return d >= 0
	case "<":
		return d < 0
	case "<=":
		return d <= 0
	}
	return false
}

func (c comparator) isNullSet() bool { return c.String() == "<0.0.0-0" }

// semverRange is classes/range.js: comparator sets joined by "||".
type semverRange struct {
	set [][]comparator
}

func parseRange(r string, loose bool) (semverRange, error) {
	raw := strings.Join(strings.Fields(r), " ")
	var rg semverRange
	for _, part := range strings.Split(raw, "||") {
		comps, err := parseRangePart(strings.TrimSpace(part), loose)
		if err != nil {
			return semverRange{}, err
		}
		if len(comps) > 0 {
			rg.set = append(rg.set, comps)
		}
	}
	if len(rg.set) == 0 {
		return semverRange{}, fmt.Errorf("invalid semver range %q", raw)
	}
	if len(rg.set) > 1 {
		first := rg.set[0]
		var kept [][]comparator
		for _, c := range rg.set {
			if !c[0].isNullSet() {
				kept = append(kept, c)
			}
		}
		switch {
		case len(kept) == 0:
			rg.set = [][]comparator{first}
		default:
			rg.set = kept
			for _, c := range kept {
				if len(c) == 1 && c[0].any {
					rg.set = [][]comparator{c}
					break
				}
			}
		}
	}
	return rg, nil
}

func parseRangePart(r string, loose bool) ([]comparator, error) {
	hyphen := reHyphen()
	if loose {
		hyphen = reHyphenLoose()
	}
	r = replaceFirst(hyphen, r, hyphenReplace)
	r = reComparatorTrim().ReplaceAllString(r, "${1}${2}${3}")
	r = reTildeTrim().ReplaceAllString(r, "${1}~")
	r = reCaretTrim().ReplaceAllString(r, "${1}^")

	var parsed []string
	for _, comp := range strings.Split(r, " ") {
		parsed = append(parsed, parseComparator(comp, loose))
	}
	var list []string
	for _, comp := range reSpaces().Split(strings.Join(parsed, " "), -1) {
		list = append(list, reGTE0().ReplaceAllString(strings.TrimSpace(comp), ""))
	}
	if loose {
		var kept []string
		for _, comp := range list {
			if reComparatorLoose().MatchString(comp) {
				kept = append(kept, comp)
			}
		}
		list = kept
	}

	var result []comparator
	seen := map[string]int{}
	for _, s := range list {
		c, err := parseComparatorValue(s, loose)
		if err != nil {
			return nil, err
		}
		if c.isNullSet() {
			return []comparator{c}, nil
		}
		if i, ok := seen[c.String()]; ok {
			result[i] = c
			continue
		}
		seen[c.String()] = len(result)
		result = append(result, c)
	}
	if len(result) > 1 {
		if i, ok := seen[""]; ok {
			result = append(result[:i], result[i+1:]...)
		}
	}
	return result, nil
}

// parseComparator turns carets, tildes, x-ranges and stars into plain
// comparators.
func parseComparator(comp string, loose bool) string {
	comp = replaceEach(comp, func(c string) string { return replaceCaret(c, loose) })
	comp = replaceEach(comp, func(c string) string { return replaceTilde(c, loose) })
	comp = replaceEach(comp, func(c string) string { return replaceXRange(c, loose) })
	return replaceFirstString(reStar(), strings.TrimSpace(comp), "")
}

func replaceEach(comp string, f func(string) string) string {
	fields := reSpaces().Split(strings.TrimSpace(comp), -1)
	for i, c := range fields {
		fields[i] = f(c)
	}
	return strings.Join(fields, " ")
}

func isX(id string) bool {
	return id == "" || strings.ToLower(id) == "x" || id == "*"
}

func atoi(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

func replaceTilde(comp string, loose bool) string {
	re := reTilde()
	if loose {
		re = reTildeLoose()
	}
	return replaceFirst(re, comp, func(g []string) string {
		M, m, p, pr := g[1], g[2], g[3], g[4]
		switch {
		case isX(M):
			return ""
		case isX(m):
			return fmt.Sprintf(">=%s.0.0 <%d.0.0-0", M, atoi(M)+1)
		case isX(p):
			return fmt.Sprintf(">=%s.%s.0 <%s.%d.0-0", M, m, M, atoi(m)+1)
		case pr != "":
			return fmt.Sprintf(">=%s.%s.%s-%s <%s.%d.0-0", M, m, p, pr, M, atoi(m)+1)
		default:
			return fmt.Sprintf(">=%s.%s.%s <%s.%d.0-0", M, m, p, M, atoi(m)+1)
		}
	})
}

func replaceCaret(comp string, loose bool) string {
	re := reCaret()
	if loose {
		re = reCaretLoose()
	}
	return replaceFirst(re, comp, func(g []string) string {
		M, m, p, pr := g[1], g[2], g[3], g[4]
		switch {
		case isX(M):
			return ""
		case isX(m):
			return fmt.Sprintf(">=%s.0.0 <%d.0.0-0", M, atoi(M)+1)
		case isX(p):
			if M == "0" {
				return fmt.Sprintf(">=%s.%s.0 <%s.%d.0-0", M, m, M, atoi(m)+1)
			}
			return fmt.Sprintf(">=%s.%s.0 <%d.0.0-0", M, m, atoi(M)+1)
		case pr != "":
			switch {
			case M == "0" && m == "0":
				return fmt.Sprintf(">=%s.%s.%s-%s <%s.%s.%d-0", M, m, p, pr, M, m, atoi(p)+1)
			case M == "0":
				return fmt.Sprintf(">=%s.%s.%s-%s <%s.%d.0-0", M, m, p, pr, M, atoi(m)+1)
			}
			return fmt.Sprintf(">=%s.%s.%s-%s <%d.0.0-0", M, m, p, pr, atoi(M)+1)
		default:
			switch {
			case M == "0" && m == "0":
				return fmt.Sprintf(">=%s.%s.%s <%s.%s.%d-0", M, m, p, M, m, atoi(p)+1)
			case M == "0":
				return fmt.Sprintf(">=%s.%s.%s <%s.%d.0-0", M, m, p, M, atoi(m)+1)
			}
			return fmt.Sprintf(">=%s.%s.%s <%d.0.0-0", M, m, p, atoi(M)+1)
		}
	})
}

func replaceXRange(comp string, loose bool) string {
	re := reXRange()
	if loose {
		re = reXRangeLoose()
	}
	return replaceFirst(re, strings.TrimSpace(comp), func(g []string) string {
		ret, op, M, m, p := g[0], g[1], g[2], g[3], g[4]
		xM := isX(M)
		xm := xM || isX(m)
		xp := xm || isX(p)
		anyX := xp
		if op == "=" && anyX {
			op = ""
		}
		pr := ""
		switch {
		case xM:
			if op == ">" || op == "<" {
				return "<0.0.0-0" // nothing is allowed
			}
			return "*"
		case op != "" && anyX:
			maj, min, pat := atoi(M), atoi(m), int64(0)
			if xm {
				min = 0
			}
			switch op {
			case ">":
				// >1 => >=2.0.0, >1.2 => >=1.3.0
				op = ">="
				if xm {
					maj, min = maj+1, 0
				} else {
					min++
				}
			case "<=":
				// <=0.7.x is really <0.8.0, <=1 is <2.0.0
				op = "<"
				if xm {
					maj++
				} else {
					min++
				}
			}
			if op == "<" {
				pr = "-0"
			}
			return fmt.Sprintf("%s%d.%d.%d%s", op, maj, min, pat, pr)
		case xm:
			return fmt.Sprintf(">=%s.0.0%s <%d.0.0-0", M, pr, atoi(M)+1)
		case xp:
			return fmt.Sprintf(">=%s.%s.0%s <%s.%d.0-0", M, m, pr, M, atoi(m)+1)
		}
		return ret
	})
}

// hyphenReplace turns "1.2 - 2.3.4" into ">=1.2.0 <=2.3.4".
func hyphenReplace(g []string) string {
	from, fM, fm, fp, fpr := g[1], g[2], g[3], g[4], g[5]
	to, tM, tm, tp, tpr := g[7], g[8], g[9], g[10], g[11]
	switch {
	case isX(fM):
		from = ""
	case isX(fm):
		from = fmt.Sprintf(">=%s.0.0", fM)
	case isX(fp):
		from = fmt.Sprintf(">=%s.%s.0", fM, fm)
	case fpr != "":
		from = ">=" + from
	default:
		from = ">=" + from
	}
	switch {
	case isX(tM):
		to = ""
	case isX(tm):
		to = fmt.Sprintf("<%d.0.0-0", atoi(tM)+1)
	case isX(tp):
		to = fmt.Sprintf("<%s.%d.0-0", tM, atoi(tm)+1)
	case tpr != "":
		to = fmt.Sprintf("<=%s.%s.%s-%s", tM, tm, tp, tpr)
	default:
		to = "<=" + to
	}
	return strings.TrimSpace(from + " " + to)
}

// replaceFirst is String.prototype.replace with a non-global regexp and a
// callback: unmatched groups arrive as "".
func replaceFirst(re *regexp.Regexp, s string, f func([]string) string) string {
	loc := re.FindStringSubmatchIndex(s)
	if loc == nil {
		return s
	}
	groups := make([]string, len(loc)/2)
	for i := range groups {
		if loc[2*i] >= 0 {
			groups[i] = s[loc[2*i]:loc[2*i+1]]
		}
	}
	return s[:loc[0]] + f(groups) + s[loc[1]:]
}

func replaceFirstString(re *regexp.Regexp, s, repl string) string {
	return replaceFirst(re, s, func([]string) string { return repl })
}

// String is Range.format, the value validRange returns.
func (r semverRange) String() string {
	parts := make([]string, len(r.set))
	for i, comps := range r.set {
		strs := make([]string, len(comps))
		for j, c := range comps {
			strs[j] = strings.TrimSpace(c.String())
		}
		parts[i] = strings.Join(strs, " ")
	}
	return strings.Join(parts, "||")
}

// test is Range.test with testSet's prerelease rule: a prerelease version
// only satisfies a comparator set that names a prerelease of the same
// major.minor.patch.
func (r semverRange) test(v semver) bool {
	for _, set := range r.set {
		if testSet(set, v) {
			return true
		}
	}
	return false
}

func testSet(set []comparator, v semver) bool {
	for _, c := range set {
		if !c.test(v) {
			return false
		}
	}
	if len(v.pre) == 0 {
		return true
	}
	for _, c := range set {
		if c.any || len(c.ver.pre) == 0 {
			continue
		}
		if c.ver.major == v.major && c.ver.minor == v.minor && c.ver.patch == v.patch {
			return true
		}
	}
	return false
}

// satisfies is semver.satisfies(version, range) without options: false when
// either does not parse.
func satisfies(version, rng string) bool {
	r, err := parseRange(rng, false)
	if err != nil {
		return false
	}
	v, err := parseSemver(version, false)
	if err != nil {
		return false
	}
	return r.test(v)
}

// validRange is semver.validRange: the normalized range, "*" for any, ok
// false when it does not parse.
func validRange(rng string, loose bool) (string, bool) {
	r, err := parseRange(rng, loose)
	if err != nil {
		return "", false
	}
	if s := r.String(); s != "" {
		return s, true
	}
	return "*", true
}

var leadingEqV = lazyRegexp(`^[=v]+`)

// clean is semver.clean: the canonical version, ok false when invalid.
func clean(version string) (string, bool) {
	v, err := parseSemver(leadingEqV().ReplaceAllString(strings.TrimSpace(version), ""), false)
	if err != nil {
		return "", false
	}
	return v.String(), true
}

// coerce is semver.coerce: the first "M[.m[.p]]" in s as "M.m.p".
func coerce(s string) (string, bool) {
	m := reCoerce().FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	minor, patch := m[3], m[4]
	if minor == "" {
		minor = "0"
	}
	if patch == "" {
		patch = "0"
	}
	v, err := parseSemver(m[2]+"."+minor+"."+patch, false)
	if err != nil {
		return "", false
	}
	return v.String(), true
}

// highestSatisfying is tool-cache's evaluateVersions: the highest version
// that satisfies spec. Versions that do not parse never match.
func highestSatisfying(versions []string, spec string) (int, bool) {
	best := -1
	var bestV semver
	for i, s := range versions {
		if !satisfies(s, spec) {
			continue
		}
		v, _ := parseSemver(s, false)
		if best < 0 || v.compare(bestV) > 0 {
			best, bestV = i, v
		}
	}
	return best, best >= 0
}
