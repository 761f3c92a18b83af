package acdc

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseInfoACDC(t *testing.T) {
	// As distributed with ACDC (training/patient001/Info.cfg), with CRLF.
	in := "ED: 1\r\nES: 12\r\nGroup: DCM\r\nHeight: 184.0\r\nNbFrame: 30\r\nWeight: 95.0\r\n"
	got, err := ParseInfo(strings.NewReader(in))
	want := Info{ED: 1, ES: 12, NbFrame: 30, Group: "DCM", Height: 184, Weight: 95}
	if err != nil || got != want {
		t.Fatalf("got %+v, %v; want %+v", got, err, want)
	}
	var buf bytes.Buffer
	if _, err := got.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != strings.ReplaceAll(in, "\r", "") {
		t.Errorf("WriteTo gave %q", buf.String())
	}
	// ACDC's test set has no Group; extra keys, comments and "12.0" are fine.
	got, err = ParseInfo(strings.NewReader("# test set\ned: 01\nES: 12.0\nOther: x\n\n"))
	if err != nil || got != (Info{ED: 1, ES: 12}) {
		t.Errorf("lenient parse: %+v, %v", got, err)
	}
}

func TestParseInfoErrors(t *testing.T) {
	for _, in := range []string{
		"", "ED: 1\n", "ES: 2\n", "ED: 0\nES: 2\n", "ED: 1.5\nES: 2\n", "ED: x\nES: 2\n",
		"ED: 1\nES: 2\nHeight: -3\n", "ED: 1\nES: 2\nno colon here\n",
	} {
		if info, err := ParseInfo(strings.NewReader(in)); err == nil {
			t.Errorf("%q parsed as %+v", in, info)
		}
	}
}
