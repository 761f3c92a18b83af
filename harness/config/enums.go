package config

// The settings that take one of a few words are typed here, once: the
// experiments compare against these constants, and Validate checks a value
// against its type's list.

// Masking is what REC-Net sees of the image.
type Masking string

const (
	MaskTarget     Masking = "target"     // x · (1 − s), the paper
	MaskBackground Masking = "background" // x · s, an ablation
)

// Maskings lists the allowed values.
var Maskings = []Masking{MaskTarget, MaskBackground}

// TrainOn is REC-Net's training set.
type TrainOn string

const (
	TrainOnGT    TrainOn = "gt"     // ground-truth masks only, the paper
	TrainOnGTZoo TrainOn = "gt+zoo" // and the pool's segmentations
)

// TrainOns lists the allowed values.
var TrainOns = []TrainOn{TrainOnGT, TrainOnGTZoo}

// PoolFill is what happens when the zoo leaves a Dice bin short.
type PoolFill string

const (
	FillPerturb PoolFill = "perturb" // top up with perturbed ground truth
	FillError   PoolFill = "error"   // stop, naming the split and bin
)

// PoolFills lists the allowed values.
var PoolFills = []PoolFill{FillPerturb, FillError}

// PoolSource is where the pool's segmentations come from.
type PoolSource string

const (
	SourceZoo     PoolSource = "zoo"     // the U-Net zoo, the paper
	SourcePerturb PoolSource = "perturb" // perturbed ground truth only
)

// PoolSources lists the allowed values.
var PoolSources = []PoolSource{SourceZoo, SourcePerturb}

// oneOfType adds a problem when v is not in allowed.
func oneOfType[T ~string](p *problems, key string, v T, allowed []T) {
	words := make([]string, len(allowed))
	for i, a := range allowed {
		words[i] = string(a)
	}
	p.oneOf(key, string(v), words...)
}
