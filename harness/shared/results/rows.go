package results

import (
	"errors"
	"fmt"
)

// RowID identifies a row of Table 2: what network is attacked, how, and on
// which tensor. It is what results/table2.json, the paper's figures, the
// worst-case rows, seed aggregation and seed pairing find a row by; the
// row's Method, Input and Attack are labels for people and may be
// reworded without unlinking anything.
type RowID string

// The rows of Table 2, the paper's three first. Their values are written
// to results/table2.json: never change one.
const (
	RowBaselineFGSMx    RowID = "baseline_fgsm_x"     // the paper's: FGSM on the baseline's image
	RowProposedFGSMd    RowID = "proposed_fgsm_d"     // the paper's: FGSM on the proposed pipeline's difference image
	RowProposedTransfer RowID = "proposed_transfer_x" // the paper's: the baseline's FGSM image fed to the proposed pipeline

	RowBaselinePGDx       RowID = "baseline_pgd_x"
	RowProposedFGSMx      RowID = "proposed_fgsm_x" // adaptive: through REC-Net
	RowProposedPGDx       RowID = "proposed_pgd_x"
	RowBaselineAPGDx      RowID = "baseline_apgd_x"
	RowProposedAPGDx      RowID = "proposed_apgd_x"
	RowBaselineSquarex    RowID = "baseline_square_x"
	RowProposedSquarex    RowID = "proposed_square_x"
	RowBaselineHuntx      RowID = "baseline_signhunter_x"
	RowProposedHuntx      RowID = "proposed_signhunter_x"
	RowBaselineThresholdx RowID = "baseline_threshold_x"
	RowProposedThresholdx RowID = "proposed_threshold_x"

	// The worst-case rows: per sample, the worst over a network's attacks.
	RowBaselineWorstx  RowID = "baseline_worst_x"
	RowProposedWorstxd RowID = "proposed_worst_xd"
	RowProposedWorstx  RowID = "proposed_worst_x"

	// The agreement baseline's rows.
	RowAgreementFGSMx RowID = "agreement_fgsm_x"
	RowAgreementPGDx  RowID = "agreement_pgd_x"

	// RowSegmentationNone is the network on s alone, which has no image to
	// attack: its MAE without attack at every ε, the floor of what
	// ignoring the image buys. No claim compares it.
	RowSegmentationNone RowID = "segmentation_none"
)

// The labels of Table 2's rows, for people: what each attacked network
// sees, and the attacks. Rows are found by RowID, never by these.
const (
	AttackedXS    = "x_adv, s"                  // the baseline on the attacked image
	AttackedDS    = "d_adv, s"                  // the proposed on an attacked difference image
	TransferredDS = "d' from x_adv, s"          // the proposed on the attacked image's difference image
	AttackedAnyDS = "d_adv or d' from x_adv, s" // the proposed network's ensemble row over x and d
	// AttackedVote is the agreement baseline's input; its rows say how
	// many U-Nets vote.
	AttackedVote = "x_adv, s (vote of the reference U-Nets)"
	// UnattackedS is the input of the network on s alone, which no attack
	// on the image reaches.
	UnattackedS = "s (no image input)"

	AttackX           = "FGSM on x"
	AttackD           = "FGSM on d"
	AttackTransfer    = "FGSM on x, transferred"
	AttackPGDX        = "PGD on x"
	AttackAdaptive    = "FGSM on x through REC-Net (adaptive)"
	AttackAdaptivePGD = "PGD on x through REC-Net (adaptive)"
	// The agreement baseline's attacks: on x, through the reference
	// U-Nets' gradients.
	AttackAgreementFGSM = "FGSM on x through the reference U-Nets"
	AttackAgreementPGD  = "PGD on x through the reference U-Nets"

	// The checks against gradient masking: APGD (Croce and Hein 2020), the
	// gradient-free Square attack, and each network's worst case, per
	// sample, over every attack run on it.
	AttackAPGDX          = "APGD on x"
	AttackAdaptiveAPGD   = "APGD on x through REC-Net (adaptive)"
	AttackSquareX        = "Square on x (gradient-free)"
	AttackAdaptiveSquare = "Square on x through REC-Net (gradient-free)"
	// SignHunter's sign-flip search (Al-Dujaili and O'Reilly 2020): the
	// gradient-free attack with power.
	AttackHuntX        = "SignHunter on x (gradient-free)"
	AttackAdaptiveHunt = "SignHunter on x through REC-Net (gradient-free)"
	// The threshold attacks: APGD that pushes each sample's predicted Dice
	// across eval.fail_below, up for a failed segmentation and down for a
	// good one, the error quality control fears most.
	AttackThresholdX        = "APGD across the pass threshold on x"
	AttackAdaptiveThreshold = "APGD across the pass threshold on x through REC-Net (adaptive)"
	AttackWorstBaseline     = "worst case of the attacks on x (ensemble)"
	AttackWorstProposed     = "worst case of the attacks on x and d (ensemble)"
	AttackWorstAdaptive     = "worst case of the attacks on x through REC-Net (ensemble)"
	// AttackNone marks the row of the network on s alone: nothing was
	// attacked, and its figure at every ε is its MAE without attack.
	AttackNone = "none: no image to attack (its MAE without attack at every ε)"
)

// RowLabels are a row's labels for people.
type RowLabels struct{ Method, Input, Attack string }

// rowLabels are the labels of every row segqa computes.
var rowLabels = map[RowID]RowLabels{
	RowBaselineFGSMx:      {MethodBaseline, AttackedXS, AttackX},
	RowProposedFGSMd:      {MethodProposed, AttackedDS, AttackD},
	RowProposedTransfer:   {MethodProposed, TransferredDS, AttackTransfer},
	RowBaselinePGDx:       {MethodBaseline, AttackedXS, AttackPGDX},
	RowProposedFGSMx:      {MethodProposed, TransferredDS, AttackAdaptive},
	RowProposedPGDx:       {MethodProposed, TransferredDS, AttackAdaptivePGD},
	RowBaselineAPGDx:      {MethodBaseline, AttackedXS, AttackAPGDX},
	RowProposedAPGDx:      {MethodProposed, TransferredDS, AttackAdaptiveAPGD},
	RowBaselineSquarex:    {MethodBaseline, AttackedXS, AttackSquareX},
	RowProposedSquarex:    {MethodProposed, TransferredDS, AttackAdaptiveSquare},
	RowBaselineHuntx:      {MethodBaseline, AttackedXS, AttackHuntX},
	RowProposedHuntx:      {MethodProposed, TransferredDS, AttackAdaptiveHunt},
	RowBaselineThresholdx: {MethodBaseline, AttackedXS, AttackThresholdX},
	RowProposedThresholdx: {MethodProposed, TransferredDS, AttackAdaptiveThreshold},
	RowBaselineWorstx:     {MethodBaseline, AttackedXS, AttackWorstBaseline},
	RowProposedWorstxd:    {MethodProposed, AttackedAnyDS, AttackWorstProposed},
	RowProposedWorstx:     {MethodProposed, TransferredDS, AttackWorstAdaptive},
	RowAgreementFGSMx:     {MethodAgreement, AttackedVote, AttackAgreementFGSM},
	RowAgreementPGDx:      {MethodAgreement, AttackedVote, AttackAgreementPGD},
	RowSegmentationNone:   {MethodSegmentation, UnattackedS, AttackNone},
}

// Labels are the row's labels; a RowID segqa does not compute has its ID
// as its attack label.
func (id RowID) Labels() RowLabels {
	if l, ok := rowLabels[id]; ok {
		return l
	}
	return RowLabels{Attack: string(id)}
}

// Row is an empty Table 2 row with this ID and its labels.
func (id RowID) Row() Table2Row {
	l := id.Labels()
	return Table2Row{ID: id, Method: l.Method, Input: l.Input, Attack: l.Attack}
}

// WorstOnX are the worst-case rows of the threat both networks share, an
// attacker who changes the image x (through REC-Net for the proposed
// pipeline): each network's Table 2 row, the proposed pipeline first.
var WorstOnX = []struct {
	Input Input // the network: InputDS or InputXS
	Row   RowID
}{{InputDS, RowProposedWorstx}, {InputXS, RowBaselineWorstx}}

// ErrUnknownRow reports a row of a results/table2.json written before rows
// had IDs whose attack label is none segqa ever wrote.
var ErrUnknownRow = errors.New("results: Table 2 row without an ID and with an unknown label")

// legacyRowIDs are the IDs of the rows of results/table2.json files
// written before rows carried one, by the attack label they had (unique
// in every such file). The labels are frozen as written: a label renamed
// later must not be changed here.
var legacyRowIDs = map[string]RowID{
	"FGSM on x":                                       RowBaselineFGSMx,
	"FGSM on d":                                       RowProposedFGSMd,
	"FGSM on x, transferred":                          RowProposedTransfer,
	"PGD on x":                                        RowBaselinePGDx,
	"FGSM on x through REC-Net (adaptive)":            RowProposedFGSMx,
	"PGD on x through REC-Net (adaptive)":             RowProposedPGDx,
	"APGD on x":                                       RowBaselineAPGDx,
	"APGD on x through REC-Net (adaptive)":            RowProposedAPGDx,
	"Square on x (gradient-free)":                     RowBaselineSquarex,
	"Square on x through REC-Net (gradient-free)":     RowProposedSquarex,
	"SignHunter on x (gradient-free)":                 RowBaselineHuntx,
	"SignHunter on x through REC-Net (gradient-free)": RowProposedHuntx,
	"APGD across the pass threshold on x":             RowBaselineThresholdx,
	"APGD across the pass threshold on x through REC-Net (adaptive)": RowProposedThresholdx,
	"worst case of the attacks on x (ensemble)":                      RowBaselineWorstx,
	"worst case of the attacks on x and d (ensemble)":                RowProposedWorstxd,
	"worst case of the attacks on x through REC-Net (ensemble)":      RowProposedWorstx,
	"FGSM on x through the reference U-Nets":                         RowAgreementFGSMx,
	"PGD on x through the reference U-Nets":                          RowAgreementPGDx,
}

// legacyRowID is the ID of a row read from a file without one, from its
// attack label.
func legacyRowID(attack string) (RowID, error) {
	if id, ok := legacyRowIDs[attack]; ok {
		return id, nil
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownRow, attack)
}
