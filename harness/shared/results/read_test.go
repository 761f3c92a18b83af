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
	t2.Rows[0].Queries, t2.Rows[0].Oracle, t2.Rows[0].Seconds = 1000, OracleLoss, 0.25
	t2.FailBelow = 0.7
	m := Masking{Network: InputXS, Eps: 0.1, FreeRow: RowBaselineHuntx, FreeAttack: AttackHuntX, FreeDamage: 0.1, GradientDamage: 0.15,
		UndefendedFreeDamage: 0.1, UndefendedGradientDamage: 0.15, PowerSource: PowerThisRun}
	m.Judge()
	t2.Masking = []Masking{m}
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
	if r := got2.Rows[0]; r.Queries != 1000 || r.Oracle != OracleLoss || r.Seconds != 0.25 ||
		got2.FailBelow != 0.7 || len(got2.Masking) != 1 || got2.Masking[0].Verdict != VerdictNoMasking {
		t.Errorf("Table 2 lost its budget or masking check: %+v, %+v", r, got2.Masking)
	}
	if _, err := ReadTable1(bytes.NewBufferString("{")); err == nil {
		t.Error("broken JSON accepted")
	}
}
