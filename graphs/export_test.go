package graphs

// ConvShape and UNetConvs let the benchmarks time a U-Net's convolutions
// alone.
type ConvShape = convShape

func UNetConvs(u UNetSpec, px, in int64) []ConvShape { return u.convs(px, in) }
