package finess

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Field counts of the two record kinds.
const (
	structureFields = 32
	geoFields       = 6
)

// Header is the first line of an extraction: "finess;etalab;<version>;<YYYY-MM-DD>".
type Header struct {
	Version string
	Date    string // extraction date, YYYY-MM-DD
}

// Structure is one "structureet" line (an establishment site, EG), fields named as in the file.
type Structure struct {
	Line                                                      int
	NoFinessET, NoFinessEJ, RS, RSLongue, ComplRS             string
	ComplDistrib, NumVoie, TypVoie, Voie, CompVoie, LieuDitBP string
	Commune, Departement, LibDepartement, LigneAcheminement   string
	Telephone, Telecopie, CategEtab, LibCategEtab             string
	CategAgrEtab, LibCategAgrEtab, SIRET, CodeAPE             string
	CodeMFT, LibMFT, CodeSPH, LibSPH                          string
	DateOuv, DateAutor, Maj, NumUAI                           string
}

// Geo is one "geolocalisation" line.
type Geo struct {
	Line       int
	NoFinessET string
	HasCoords  bool // false when both coordinates are empty (the site is not geolocated)
	X, Y       float64
	Source     string // sourcecoordet as written
	Projection string // its last comma-separated item, e.g. LAMBERT_93
	DateMaj    string
}

// Record is one parsed data line: exactly one of Structure and Geo is set.
type Record struct {
	Structure *Structure
	Geo       *Geo
}

// LineError is a line that was skipped. The reader goes on after it.
type LineError struct {
	Line      int
	Reason    string
	Truncated bool // the last line of the file, without an end of line: the file may be cut
}

func (e *LineError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Reason }

// Reader reads an extraction line by line. Lines end with LF or CRLF; a field never spans lines.
//
// Encoding: lines are UTF-8 until one is not valid UTF-8; from then on the file is taken as
// ISO-8859-1 (the encoding of older extractions) and every following line is decoded from Latin-1.
// A UTF-8 byte-order mark at the start is dropped.
type Reader struct {
	br     *bufio.Reader
	line   int
	latin1 bool
	header *Header
	buf    []byte
	fields []string
}

// NewReader reads from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 1<<16), fields: make([]string, 0, 40)}
}

// Header returns the header line, if the file had one (known once Next has been called).
func (r *Reader) Header() (Header, bool) {
	if r.header == nil {
		return Header{}, false
	}
	return *r.header, true
}

// Latin1 reports whether the reader switched to ISO-8859-1.
func (r *Reader) Latin1() bool { return r.latin1 }

// Line returns the number of the last line read (1-based).
func (r *Reader) Line() int { return r.line }

// Next returns the next record. A bad line gives a *LineError (the caller reports it and calls
// Next again); io.EOF ends the file; any other error is a read failure.
func (r *Reader) Next() (Record, error) {
	for {
		raw, complete, err := r.readLine()
		if err != nil {
			return Record{}, err
		}
		if r.line == 1 {
			raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
		}
		if len(bytes.TrimSpace(raw)) == 0 {
			continue
		}
		s := r.decode(raw)
		if err := r.split(s); err != nil {
			return Record{}, r.lineErr(complete, "%v", err)
		}
		switch r.fields[0] {
		case "structureet":
			st, err := r.structure(complete)
			return Record{Structure: st}, err
		case "geolocalisation":
			g, err := r.geo(complete)
			return Record{Geo: g}, err
		case "finess":
			if r.line == 1 && len(r.fields) >= 4 && r.fields[1] == "etalab" {
				r.header = &Header{Version: r.fields[2], Date: r.fields[3]}
				if !validDate(r.header.Date) {
					return Record{}, r.lineErr(complete, "header: bad extraction date %q", r.header.Date)
				}
				continue
			}
		}
		return Record{}, r.lineErr(complete, "unknown record type %q", clip(r.fields[0]))
	}
}

// readLine returns the next line without its end of line; complete is false for a last line that
// does not end with a newline (possibly truncated).
func (r *Reader) readLine() (line []byte, complete bool, err error) {
	r.buf = r.buf[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		r.buf = append(r.buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			if len(r.buf) == 0 {
				return nil, false, io.EOF
			}
			r.line++
			return bytes.TrimSuffix(r.buf, []byte("\r")), false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("read line %d: %w", r.line+1, err)
		}
		r.line++
		b := r.buf[:len(r.buf)-1]
		return bytes.TrimSuffix(b, []byte("\r")), true, nil
	}
}

func (r *Reader) decode(raw []byte) string {
	if !r.latin1 && utf8.Valid(raw) {
		return string(raw)
	}
	r.latin1 = true
	s, err := charmap.ISO8859_1.NewDecoder().Bytes(raw)
	if err != nil { // cannot happen: every byte is a Latin-1 character
		return string(raw)
	}
	return string(s)
}

var errUnterminated = errors.New("unterminated quoted field")

// split cuts s on ';' into r.fields. A field that starts with '"' is quoted: it ends at the next
// lone '"', and '""' inside stands for one '"'. A '"' inside an unquoted field is kept as is.
func (r *Reader) split(s string) error {
	r.fields = r.fields[:0]
	for {
		if strings.HasPrefix(s, `"`) {
			var sb strings.Builder
			i := 1
			for {
				j := strings.IndexByte(s[i:], '"')
				if j < 0 {
					return errUnterminated
				}
				sb.WriteString(s[i : i+j])
				i += j + 1
				if i < len(s) && s[i] == '"' {
					sb.WriteByte('"')
					i++
					continue
				}
				break
			}
			r.fields = append(r.fields, sb.String())
			if i == len(s) {
				return nil
			}
			if s[i] != ';' {
				return fmt.Errorf("unexpected %q after the closing quote of field %d", s[i], len(r.fields))
			}
			s = s[i+1:]
			continue
		}
		j := strings.IndexByte(s, ';')
		if j < 0 {
			r.fields = append(r.fields, s)
			return nil
		}
		r.fields = append(r.fields, s[:j])
		s = s[j+1:]
	}
}

func (r *Reader) lineErr(complete bool, format string, args ...any) *LineError {
	reason := fmt.Sprintf(format, args...)
	if !complete {
		reason += " (last line has no end of line: truncated file?)"
	}
	return &LineError{Line: r.line, Reason: reason, Truncated: !complete}
}

func (r *Reader) structure(complete bool) (*Structure, error) {
	f := r.fields
	if len(f) != structureFields {
		return nil, r.lineErr(complete, "structureet line has %d fields, want %d", len(f), structureFields)
	}
	st := &Structure{Line: r.line,
		NoFinessET: f[1], NoFinessEJ: f[2], RS: f[3], RSLongue: f[4], ComplRS: f[5], ComplDistrib: f[6],
		NumVoie: f[7], TypVoie: f[8], Voie: f[9], CompVoie: f[10], LieuDitBP: f[11], Commune: f[12],
		Departement: f[13], LibDepartement: f[14], LigneAcheminement: f[15], Telephone: f[16],
		Telecopie: f[17], CategEtab: f[18], LibCategEtab: f[19], CategAgrEtab: f[20],
		LibCategAgrEtab: f[21], SIRET: f[22], CodeAPE: f[23], CodeMFT: f[24], LibMFT: f[25],
		CodeSPH: f[26], LibSPH: f[27], DateOuv: f[28], DateAutor: f[29], Maj: f[30], NumUAI: f[31]}
	switch {
	case !validFiness(st.NoFinessET):
		return nil, r.lineErr(complete, "bad nofinesset %q", clip(st.NoFinessET))
	case !validFiness(st.NoFinessEJ):
		return nil, r.lineErr(complete, "bad nofinessej %q", clip(st.NoFinessEJ))
	case strings.TrimSpace(st.RS) == "" && strings.TrimSpace(st.RSLongue) == "":
		return nil, r.lineErr(complete, "empty rs (name)")
	}
	for _, d := range []struct{ name, v string }{{"dateouv", st.DateOuv}, {"dateautor", st.DateAutor}, {"maj", st.Maj}} {
		if d.v != "" && !validDate(d.v) {
			return nil, r.lineErr(complete, "bad %s %q", d.name, clip(d.v))
		}
	}
	return st, nil
}

func (r *Reader) geo(complete bool) (*Geo, error) {
	f := r.fields
	if len(f) != geoFields {
		return nil, r.lineErr(complete, "geolocalisation line has %d fields, want %d", len(f), geoFields)
	}
	g := &Geo{Line: r.line, NoFinessET: f[1], Source: f[4], DateMaj: f[5]}
	if !validFiness(g.NoFinessET) {
		return nil, r.lineErr(complete, "bad nofinesset %q", clip(g.NoFinessET))
	}
	if g.DateMaj != "" && !validDate(g.DateMaj) {
		return nil, r.lineErr(complete, "bad datemaj %q", clip(g.DateMaj))
	}
	if i := strings.LastIndexByte(g.Source, ','); i >= 0 {
		g.Projection = strings.TrimSpace(g.Source[i+1:])
	} else {
		g.Projection = strings.TrimSpace(g.Source)
	}
	x, y := strings.TrimSpace(f[2]), strings.TrimSpace(f[3])
	if x == "" && y == "" {
		return g, nil
	}
	var err1, err2 error
	g.X, err1 = strconv.ParseFloat(x, 64)
	g.Y, err2 = strconv.ParseFloat(y, 64)
	if err1 != nil || err2 != nil {
		return nil, r.lineErr(complete, "bad coordinates %q %q", clip(x), clip(y))
	}
	if _, err := projectionFor(g.Projection); err != nil {
		return nil, r.lineErr(complete, "%v in sourcecoordet %q", err, clip(g.Source))
	}
	g.HasCoords = true
	return g, nil
}

// validFiness: 9 characters, a département prefix (2 digits, 2A/2B, 9A..9Z) then 7 digits.
func validFiness(s string) bool {
	if len(s) != 9 || !isDigit(s[0]) || !(isDigit(s[1]) || s[1] >= 'A' && s[1] <= 'Z') {
		return false
	}
	for i := 2; i < 9; i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// validDate: YYYY-MM-DD with a plausible month and day.
func validDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && i != 7 && !isDigit(c) {
			return false
		}
	}
	m, d := (s[5]-'0')*10+s[6]-'0', (s[8]-'0')*10+s[9]-'0'
	return m >= 1 && m <= 12 && d >= 1 && d <= 31
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// clip shortens a value quoted in a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
