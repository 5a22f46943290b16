package flows

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// tokenKind is the kind of markup the scanner last read.
type tokenKind uint8

const (
	tokNone  tokenKind = iota
	tokStart           // a start tag, or an empty-element tag when selfClose is set
	tokEnd             // an end tag
	tokText            // character data or a CDATA section
	tokEOF             // the end of the input
)

// attrSpan locates one attribute inside the current start tag. Offsets are
// relative to the tag's "<" so they stay valid in a copy of the tag.
type attrSpan struct {
	name0, name1 int32
	val0, val1   int32
	// escaped reports that the value contains "&" and needs unescaping.
	escaped bool
}

// errNeedMore reports that a token continues past the buffered bytes.
var errNeedMore = errors.New("need more input")

// scanner is a byte-level XML tokenizer over a growing window of its
// input. Token slices (name, text, tag) alias the window and stay valid
// only until the next call to next. It checks well-formedness of what it
// reads: tag syntax, quoted attributes, nesting of end tags, comments,
// CDATA, and it rejects document type declarations.
type scanner struct {
	r      io.Reader
	buf    []byte
	pos    int   // next unread byte in buf
	end    int   // end of the buffered bytes
	base   int64 // stream offset of buf[0]
	eof    bool
	maxBuf int
	maxDep int

	line      int   // line of buf[pos], 1-based
	lineStart int64 // stream offset where that line starts

	// The current token.
	kind         tokenKind
	tokStart     int // index in buf of the token's first byte
	tokEnd       int // index in buf just past the token
	tokLine      int
	tokLineStart int64
	name         []byte
	attrs        []attrSpan
	selfClose    bool
	text         []byte
	cdata        bool

	// Names of the open elements, concatenated, with their end offsets.
	stack      []int
	stackNames []byte

	// capture collects the raw bytes of every token while capturing is set.
	capturing bool
	capture   []byte

	// While limitOn is set, next fails once more than limit bytes were
	// read since stream offset limitStart, or once the start tags read
	// since then have more than nodeLimit elements and attributes, counted
	// in nodes. limitWhat names the bounded markup in the error.
	limitOn    bool
	limitStart int64
	limit      int64
	nodeLimit  int
	nodes      int
	limitWhat  string
	// maxNodes is the decoder's MaxRecordNodes, for the error message.
	maxNodes int
}

// limitFrom bounds the bytes read from stream offset start on, and the
// elements and attributes of the start tags read from then on. Past a
// bound, next fails with ErrTooLarge, naming the markup as longer than
// maxBuf bytes or with more than maxNodes nodes: the limits the decoder
// sets for a record and for the markup outside the records alike.
func (s *scanner) limitFrom(start, limit int64, nodeLimit int, markup string) {
	s.limitOn, s.limitStart, s.limit, s.limitWhat = true, start, limit, markup
	s.nodeLimit, s.nodes = nodeLimit, 0
}

// errLimit is the error of the byte bound set by limitFrom.
func (s *scanner) errLimit() error {
	return fmt.Errorf("%w: %s longer than %d bytes", ErrTooLarge, s.limitWhat, s.maxBuf)
}

// errNodeLimit is the error of the node bound set by limitFrom.
func (s *scanner) errNodeLimit() error {
	return fmt.Errorf("%w: %s with more than %d elements and attributes", ErrTooLarge, s.limitWhat, s.maxNodes)
}

func (s *scanner) limitOff() { s.limitOn = false }

const (
	initialBuffer = 64 << 10
	// readRetries bounds reads that return no bytes and no error.
	readRetries = 100
)

func newScanner(r io.Reader, maxBuf, maxDepth int) *scanner {
	size := initialBuffer
	if size > maxBuf {
		size = maxBuf
	}
	return &scanner{r: r, buf: make([]byte, size), maxBuf: maxBuf, maxDep: maxDepth, line: 1}
}

// fill moves the unread bytes to the front of the buffer, grows it when it
// is full, and reads more input. It returns io.EOF when no more input
// exists.
func (s *scanner) fill() error {
	if s.eof {
		return io.EOF
	}
	if s.pos > 0 {
		n := copy(s.buf, s.buf[s.pos:s.end])
		s.base += int64(s.pos)
		s.end = n
		s.pos = 0
	}
	if s.end == len(s.buf) {
		if len(s.buf) >= s.maxBuf {
			return s.errAt(s.end, fmt.Errorf("%w: a single token is longer than %d bytes", ErrTooLarge, s.maxBuf))
		}
		size := 2 * len(s.buf)
		if size > s.maxBuf {
			size = s.maxBuf
		}
		nb := make([]byte, size)
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for i := 0; i < readRetries; i++ {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			if n == 0 {
				return io.EOF
			}
			return nil
		}
		if err != nil {
			return &ReadError{Offset: s.base + int64(s.end), Err: err}
		}
		if n > 0 {
			return nil
		}
	}
	return &ReadError{Offset: s.base + int64(s.end), Err: io.ErrNoProgress}
}

// advance consumes the token that ends at index e, keeping the line count.
func (s *scanner) advance(e int) {
	seg := s.buf[s.pos:e]
	if n := bytes.Count(seg, nl); n > 0 {
		s.line += n
		s.lineStart = s.base + int64(s.pos+bytes.LastIndexByte(seg, '\n')+1)
	}
	if s.capturing {
		s.capture = append(s.capture, s.buf[s.tokStart:e]...)
	}
	s.tokEnd = e
	s.pos = e
}

var nl = []byte{'\n'}

// errAt returns a SyntaxError at buffer index i of the current token.
func (s *scanner) errAt(i int, err error) *SyntaxError {
	line, lineStart := s.tokLine, s.tokLineStart
	if s.tokStart <= i && i <= s.end {
		seg := s.buf[s.tokStart:i]
		if n := bytes.Count(seg, nl); n > 0 {
			line += n
			lineStart = s.base + int64(s.tokStart+bytes.LastIndexByte(seg, '\n')+1)
		}
	}
	off := s.base + int64(i)
	return &SyntaxError{Line: line, Column: int(off-lineStart) + 1, Offset: off, Element: s.openName(), Err: err}
}

// openName returns the innermost open element, or "".
func (s *scanner) openName() string {
	if len(s.stack) == 0 {
		return ""
	}
	return string(s.stackNames[s.top():])
}

func (s *scanner) top() int {
	if len(s.stack) < 2 {
		return 0
	}
	return s.stack[len(s.stack)-2]
}

// nameAt returns the name of the open element at depth n (1 is the root).
func (s *scanner) nameAt(n int) []byte {
	start := 0
	if n > 1 {
		start = s.stack[n-2]
	}
	return s.stackNames[start:s.stack[n-1]]
}

// appendEscaped appends text with "&", "<" and ">" escaped.
func appendEscaped(dst []byte, text string) []byte {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '&':
			dst = append(dst, "&amp;"...)
		case '<':
			dst = append(dst, "&lt;"...)
		case '>':
			dst = append(dst, "&gt;"...)
		case '\r':
			dst = append(dst, "&#13;"...)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// depth returns the number of open elements.
func (s *scanner) depth() int { return len(s.stack) }

// next reads the next token. Comments and processing instructions are
// skipped, but captured when capturing is set.
func (s *scanner) next() error {
	for {
		s.tokStart, s.tokLine, s.tokLineStart = s.pos, s.line, s.lineStart
		err := s.scan()
		if err == nil {
			if !s.limitOn {
				return nil
			}
			if s.base+int64(s.pos)-s.limitStart > s.limit {
				return s.errAt(s.tokStart, s.errLimit())
			}
			if s.kind == tokStart {
				s.nodes += 1 + len(s.attrs)
				if s.nodes > s.nodeLimit {
					return s.errAt(s.tokStart, s.errNodeLimit())
				}
			}
			return nil
		}
		if err == errSkip {
			continue
		}
		if err != errNeedMore {
			return err
		}
		if s.eof {
			return s.errAt(s.end, fmt.Errorf("%w: input ends inside markup", ErrUnexpectedEOF))
		}
		if ferr := s.fill(); ferr != nil && ferr != io.EOF {
			return ferr
		}
	}
}

// errSkip reports that scan consumed a comment or processing instruction.
var errSkip = errors.New("skipped markup")

func (s *scanner) scan() error {
	p := s.pos
	if p == s.end {
		if err := s.fill(); err != nil {
			if err == io.EOF {
				s.kind = tokEOF
				return nil
			}
			return err
		}
		p = s.pos
		s.tokStart = p
	}
	b := s.buf[p:s.end]
	if b[0] != '<' {
		i := bytes.IndexByte(b, '<')
		if i < 0 {
			if !s.eof {
				return errNeedMore
			}
			i = len(b)
		}
		if c := firstControl(b[:i]); c >= 0 {
			return s.errAt(p+c, errControl(b[c]))
		}
		s.kind, s.text, s.cdata = tokText, b[:i], false
		s.advance(p + i)
		return nil
	}
	if len(b) < 2 {
		return errNeedMore
	}
	switch b[1] {
	case '/':
		return s.scanEndTag(p)
	case '?':
		i := bytes.Index(b[2:], []byte("?>"))
		if i < 0 {
			return errNeedMore
		}
		s.advance(p + 2 + i + 2)
		return errSkip
	case '!':
		return s.scanBang(p)
	}
	return s.scanStartTag(p)
}

func (s *scanner) scanBang(p int) error {
	b := s.buf[p:s.end]
	switch {
	case bytes.HasPrefix(b, []byte("<!--")):
		i := bytes.Index(b[4:], []byte("--"))
		if i < 0 {
			return errNeedMore
		}
		if len(b) < 4+i+3 {
			return errNeedMore
		}
		if b[4+i+2] != '>' {
			return s.errAt(p+4+i, fmt.Errorf("%w: \"--\" inside a comment", ErrSyntax))
		}
		s.advance(p + 4 + i + 3)
		return errSkip
	case bytes.HasPrefix(b, []byte("<![CDATA[")):
		i := bytes.Index(b[9:], []byte("]]>"))
		if i < 0 {
			return errNeedMore
		}
		if c := firstControl(b[9 : 9+i]); c >= 0 {
			return s.errAt(p+9+c, errControl(b[9+c]))
		}
		s.kind, s.text, s.cdata = tokText, b[9:9+i], true
		s.advance(p + 9 + i + 3)
		return nil
	case bytes.HasPrefix(b, []byte("<!DOCTYPE")), bytes.HasPrefix(b, []byte("<!ENTITY")):
		return s.errAt(p, fmt.Errorf("%w: document type declarations and entity declarations are not accepted", ErrDTD))
	case len(b) < 9:
		return errNeedMore
	}
	return s.errAt(p, fmt.Errorf("%w: invalid markup after \"<!\"", ErrSyntax))
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func isNameEnd(c byte) bool { return nameEnd[c] }

// nameEnd marks the bytes that end an element or attribute name.
var nameEnd = func() (t [256]bool) {
	for c := 0; c <= ' '; c++ {
		t[c] = true
	}
	for _, c := range []byte("<>/=\"'") {
		t[c] = true
	}
	return t
}()

// maxCheckedAttrs bounds the tags whose attributes the scanner compares
// pair by pair for repeated names. Longer tags are checked with a set,
// except curve tags: they carry about a hundred attributes, and the
// decoder checks those by number instead.
const maxCheckedAttrs = 8

func (s *scanner) scanEndTag(p int) error {
	b := s.buf[p:s.end]
	i := bytes.IndexByte(b, '>')
	if i < 0 {
		return errNeedMore
	}
	name := bytes.TrimRight(b[2:i], " \t\r\n")
	if len(s.stack) == 0 {
		return s.errAt(p, fmt.Errorf("%w: end tag </%s> without a start tag", ErrSyntax, name))
	}
	if open := s.stackNames[s.top():]; !bytes.Equal(open, name) {
		return s.errAt(p, fmt.Errorf("%w: element <%s> closed by </%s>", ErrSyntax, open, name))
	}
	s.kind, s.name = tokEnd, name
	s.advance(p + i + 1)
	s.pop()
	return nil
}

func (s *scanner) push(name []byte) error {
	if len(s.stack) >= s.maxDep {
		return fmt.Errorf("%w: elements nested deeper than %d", ErrTooLarge, s.maxDep)
	}
	s.stackNames = append(s.stackNames, name...)
	s.stack = append(s.stack, len(s.stackNames))
	return nil
}

func (s *scanner) pop() {
	s.stackNames = s.stackNames[:s.top()]
	s.stack = s.stack[:len(s.stack)-1]
}

func (s *scanner) scanStartTag(p int) error {
	buf, end := s.buf, s.end
	j := p + 1
	for j < end && !isNameEnd(buf[j]) {
		j++
	}
	if j == end {
		return errNeedMore
	}
	if j == p+1 || !isNameStart(buf[p+1]) {
		return s.errAt(p+1, fmt.Errorf("%w: invalid element name", ErrSyntax))
	}
	s.name = buf[p+1 : j]
	s.attrs = s.attrs[:0]
	for {
		k := j
		for k < end && isSpace(buf[k]) {
			k++
		}
		if k == end {
			return errNeedMore
		}
		switch buf[k] {
		case '>':
			s.selfClose = false
			return s.finishStart(p, k+1)
		case '/':
			if k+1 == end {
				return errNeedMore
			}
			if buf[k+1] != '>' {
				return s.errAt(k, fmt.Errorf("%w: \"/\" not followed by \">\" in tag <%s>", ErrSyntax, s.name))
			}
			s.selfClose = true
			return s.finishStart(p, k+2)
		}
		if k == j {
			return s.errAt(k, fmt.Errorf("%w: missing space before attribute in tag <%s>", ErrSyntax, s.name))
		}
		next, err := s.scanAttr(p, k)
		if err != nil {
			return err
		}
		j = next
	}
}

// scanAttr reads one attribute starting at index k of the tag at p and
// returns the index after its closing quote.
func (s *scanner) scanAttr(p, k int) (int, error) {
	buf, end := s.buf, s.end
	n0 := k
	for k < end && !isNameEnd(buf[k]) {
		k++
	}
	if k == end {
		return 0, errNeedMore
	}
	if k == n0 || !isNameStart(buf[n0]) {
		return 0, s.errAt(n0, fmt.Errorf("%w: invalid character %q in tag <%s>", ErrSyntax, buf[n0], s.name))
	}
	n1 := k

	for k < end && isSpace(buf[k]) {
		k++
	}
	if k == end {
		return 0, errNeedMore
	}
	if buf[k] != '=' {
		return 0, s.errAt(k, fmt.Errorf("%w: attribute %s without a value in tag <%s>", ErrSyntax, buf[n0:n1], s.name))
	}
	k++
	for k < end && isSpace(buf[k]) {
		k++
	}
	if k == end {
		return 0, errNeedMore
	}

	quote := buf[k]
	if quote != '"' && quote != '\'' {
		return 0, s.errAt(k, fmt.Errorf("%w: value of attribute %s is not quoted", ErrSyntax, buf[n0:n1]))
	}
	v0 := k + 1
	q := bytes.IndexByte(buf[v0:end], quote)
	if q < 0 {
		return 0, errNeedMore
	}
	v1 := v0 + q

	escaped, nonASCII := false, false
	for x := v0; x < v1; x++ {
		c := buf[x]
		if !attrSpecial[c] {
			continue
		}
		switch {
		case c == '<':
			return 0, s.errAt(x, fmt.Errorf("%w: \"<\" inside the value of attribute %s", ErrSyntax, buf[n0:n1]))
		case c == '&':
			escaped = true
		case c >= utf8.RuneSelf:
			nonASCII = true
		default:
			return 0, s.errAt(x, errControl(c))
		}
	}
	if nonASCII {
		if x := firstInvalidUTF8(buf[v0:v1]); x >= 0 {
			return 0, s.errAt(v0+x, fmt.Errorf("%w: invalid UTF-8 in the value of attribute %s", ErrSyntax, buf[n0:n1]))
		}
	}
	s.attrs = append(s.attrs, attrSpan{int32(n0 - p), int32(n1 - p), int32(v0 - p), int32(v1 - p), escaped})
	return v1 + 1, nil
}

// attrSpecial marks the bytes of an attribute value that scanAttr looks
// at: "<", "&", control characters and the bytes of non-ASCII characters.
var attrSpecial = func() (t [256]bool) {
	for c := 0; c < ' '; c++ {
		t[c] = c != '\t' && c != '\n' && c != '\r'
	}
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = true
	}
	t['<'], t['&'] = true, true
	return t
}()

// firstControl returns the index of the first control character in b that
// XML 1.0 forbids (any below U+0020 except tab, line feed and carriage
// return), or -1.
func firstControl(b []byte) int {
	for i, c := range b {
		if c < ' ' && c != '\t' && c != '\n' && c != '\r' {
			return i
		}
	}
	return -1
}

// firstInvalidUTF8 returns the index of the first byte of b that does not
// start a valid UTF-8 sequence, or -1.
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

func errControl(c byte) error {
	return fmt.Errorf("%w: control character U+%04X is not allowed in XML", ErrSyntax, c)
}

func isNameStart(c byte) bool {
	return c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func (s *scanner) finishStart(p, e int) error {
	if n := len(s.attrs); n > 1 && (n <= maxCheckedAttrs || !isCurveName(s.name)) {
		if err := s.checkRepeatedAttrs(p); err != nil {
			return err
		}
	}
	s.kind = tokStart
	if !s.selfClose {
		if err := s.push(s.name); err != nil {
			return s.errAt(p, err)
		}
	}
	s.advance(e)
	return nil
}

// checkRepeatedAttrs rejects a tag that names an attribute twice. Short
// tags are compared pair by pair, longer ones through a set so the cost
// stays linear in the number of attributes.
func (s *scanner) checkRepeatedAttrs(p int) error {
	buf := s.buf
	var seen map[string]struct{}
	if len(s.attrs) > maxCheckedAttrs {
		seen = make(map[string]struct{}, len(s.attrs))
	}
	for i, a := range s.attrs {
		name := buf[p+int(a.name0) : p+int(a.name1)]
		repeated := false
		if seen != nil {
			_, repeated = seen[string(name)]
			seen[string(name)] = struct{}{}
		} else {
			for _, b := range s.attrs[:i] {
				if bytes.Equal(name, buf[p+int(b.name0):p+int(b.name1)]) {
					repeated = true
					break
				}
			}
		}
		if repeated {
			return s.errAt(p+int(a.name0), fmt.Errorf("%w: attribute %s repeated in tag <%s>", ErrSyntax, name, s.name))
		}
	}
	return nil
}

// isCurveName reports whether an element name is Ea, Er, Erc or Eri.
func isCurveName(name []byte) bool {
	_, ok := curveKindOf(name)
	return ok
}

// tag returns the raw bytes of the current start tag, from "<" to ">".
func (s *scanner) tag() []byte { return s.buf[s.tokStart:s.tokEnd] }

// attrName and attrValue return the raw bytes of attribute a of the
// current start tag.
func (s *scanner) attrName(a attrSpan) []byte {
	return s.buf[s.tokStart+int(a.name0) : s.tokStart+int(a.name1)]
}

func (s *scanner) attrRaw(a attrSpan) []byte {
	return s.buf[s.tokStart+int(a.val0) : s.tokStart+int(a.val1)]
}

// attrString returns the value of attribute a with references resolved.
func (s *scanner) attrString(a attrSpan) (string, error) {
	raw := s.attrRaw(a)
	if !a.escaped {
		return intern(raw), nil
	}
	out, at, err := unescape(nil, raw, true)
	if err != nil {
		return "", s.errAt(s.tokStart+int(a.val0)+at, err)
	}
	return string(out), nil
}

// textString returns the current text token with references resolved and
// line ends normalized to "\n".
func (s *scanner) textString() (string, error) {
	if s.cdata {
		if bytes.IndexByte(s.text, '\r') < 0 {
			return string(s.text), nil
		}
		out, _, _ := unescape(nil, s.text, false)
		return string(out), nil
	}
	if bytes.IndexByte(s.text, '&') < 0 && bytes.IndexByte(s.text, '\r') < 0 {
		if !utf8.Valid(s.text) {
			return "", s.errAt(s.tokStart, fmt.Errorf("%w: invalid UTF-8 in character data", ErrSyntax))
		}
		return intern(s.text), nil
	}
	out, at, err := unescape(nil, s.text, true)
	if err != nil {
		return "", s.errAt(s.tokStart+at, err)
	}
	if !utf8.Valid(out) {
		return "", s.errAt(s.tokStart, fmt.Errorf("%w: invalid UTF-8 in character data", ErrSyntax))
	}
	return string(out), nil
}

// isBlank reports whether the current text token is only whitespace.
func (s *scanner) isBlank() bool {
	for _, c := range s.text {
		if !isSpace(c) {
			return false
		}
	}
	return true
}

// startCapture begins collecting raw markup with the current start tag.
func (s *scanner) startCapture() {
	s.capture = append(s.capture[:0], s.buf[s.tokStart:s.tokEnd]...)
	s.capturing = true
}

// stopCapture ends collecting and returns the collected markup.
func (s *scanner) stopCapture() string {
	s.capturing = false
	return string(s.capture)
}

// unescape appends raw to dst with the five predefined entities and
// character references resolved and "\r\n" or a lone "\r" turned into
// "\n". When refs is false only line ends are changed. On error it returns
// the index in raw of the bad reference.
func unescape(dst, raw []byte, refs bool) ([]byte, int, error) {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '\r':
			dst = append(dst, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case c == '&' && refs:
			semi := bytes.IndexByte(raw[i:], ';')
			if semi < 0 {
				return nil, i, fmt.Errorf("%w: \"&\" not followed by a reference ending in \";\"", ErrSyntax)
			}
			r, ok := resolveRef(raw[i+1 : i+semi])
			if !ok {
				return nil, i, fmt.Errorf("%w: unknown or invalid reference &%s;", ErrSyntax, raw[i+1:i+semi])
			}
			dst = utf8.AppendRune(dst, r)
			i += semi
		default:
			dst = append(dst, c)
		}
	}
	return dst, 0, nil
}

func resolveRef(name []byte) (rune, bool) {
	switch string(name) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	digits, base := name[1:], rune(10)
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, false
	}
	var r rune
	for _, c := range digits {
		var d rune
		switch {
		case c >= '0' && c <= '9':
			d = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = rune(c-'A') + 10
		default:
			return 0, false
		}
		r = r*base + d
	}
	if !isXMLChar(r) {
		return 0, false
	}
	return r, true
}

// isXMLChar reports whether r is a character XML 1.0 allows.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// internTable holds frequent short values so decoding them allocates
// nothing.
var internTable = func() map[string]string {
	m := map[string]string{}
	for _, s := range []string{"", "SI", "NO", "S", "N", "P", "E", "O", "F", "M", "C", "T", "V", "A", "G",
		"0,000", "1,000", "DP0001", "400", "230", "220", "380", "15000", "20000"} {
		m[s] = s
	}
	for d := 0; d <= 100; d++ {
		s := fmt.Sprintf("%d", d)
		m[s] = s
		s = fmt.Sprintf("%02d", d)
		m[s] = s
	}
	return m
}()

func intern(b []byte) string {
	if len(b) <= 6 {
		if s, ok := internTable[string(b)]; ok {
			return s
		}
	}
	return string(b)
}
