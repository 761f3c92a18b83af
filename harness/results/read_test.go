package results

import (
	"bytes"
	"testing"
)

func TestJSONRoundTrip(t *testing.T) {
	t1 := PaperTable1()
	t1.Rows[0].PaperMAE, t1.Rows[0].PaperStd = 0.04, 0.05
	var buf bytes.Buffer
	if err := t1.JSON(&buf); err != nil {
		t.Fatal(err)
	}
	first := buf.String()
	got, err := ReadTable1(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	got.JSON(&again)
	if again.String() != first {
		t.Errorf("Table 1 JSON round trip:\n%s\n%s", first, again.String())
	}

	t2 := PaperTable2().WithPaper(PaperTable2())
	buf.Reset()
	if err := t2.JSON(&buf); err != nil {
		t.Fatal(err)
	}
	first = buf.String()
	got2, err := ReadTable2(&buf)
	if err != nil {
		t.Fatal(err)
	}
	again.Reset()
	got2.JSON(&again)
	if again.String() != first {
		t.Errorf("Table 2 JSON round trip:\n%s\n%s", first, again.String())
	}
	if _, err := ReadTable1(bytes.NewBufferString("{")); err == nil {
		t.Error("broken JSON accepted")
	}
}
