package nifti

import (
	"encoding/binary"
	"math"
	"testing"
)

// TestHeaderLayout checks the bytes Encode writes against the offsets of
// nifti1.h and nifti2.h, spelled out here independently of the codec, so a
// mistake shared by reader and writer cannot hide behind a round trip.
func TestHeaderLayout(t *testing.T) {
	v := sampleVolume(Int16, []int{3, 4, 2}, 5)
	v.SclSlope, v.SclInter = 2, -1
	v.Data = make([]float64, 24)
	v.Data[0] = 2*0x1234 - 1
	for _, o := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		v.ByteOrder = o
		v.Version = 1
		b := encoded(t, v, false)
		i16 := func(off int) int16 { return int16(o.Uint16(b[off:])) }
		f32 := func(off int) float32 { return math.Float32frombits(o.Uint32(b[off:])) }
		checks := []struct {
			field     string
			got, want any
		}{
			{"length", len(b), 352 + 24*2},
			{"sizeof_hdr", int32(o.Uint32(b[0:])), int32(348)},
			{"dim", [8]int16{i16(40), i16(42), i16(44), i16(46), i16(48), i16(50), i16(52), i16(54)}, [8]int16{3, 3, 4, 2, 1, 1, 1, 1}},
			{"datatype", i16(70), int16(4)},
			{"bitpix", i16(72), int16(16)},
			{"pixdim[0..3]", [4]float32{f32(76), f32(80), f32(84), f32(88)}, [4]float32{-1, 1.25, 0.75, 2.5}},
			{"vox_offset", f32(108), float32(352)},
			{"scl_slope, scl_inter", [2]float32{f32(112), f32(116)}, [2]float32{2, -1}},
			{"xyzt_units", b[123], byte(10)},
			{"descrip", string(b[148 : 148+17]), "segqa test volume"},
			{"qform_code, sform_code", [2]int16{i16(252), i16(254)}, [2]int16{1, 2}},
			{"quatern_b, qoffset_x", [2]float32{f32(256), f32(268)}, [2]float32{0.5, -10.5}},
			{"srow_y[2], srow_z[3]", [2]float32{f32(280 + 16 + 8), f32(280 + 32 + 12)}, [2]float32{0.125, 30}},
			{"magic", string(b[344:348]), "n+1\x00"},
			{"extension", [4]byte(b[348:352]), [4]byte{}},
			{"first voxel", o.Uint16(b[352:]), uint16(0x1234)},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("NIfTI-1 %v %s = %v, want %v", o, c.field, c.got, c.want)
			}
		}

		v.Version = 2
		b = encoded(t, v, false)
		i64 := func(off int) int64 { return int64(o.Uint64(b[off:])) }
		f64 := func(off int) float64 { return math.Float64frombits(o.Uint64(b[off:])) }
		checks = []struct {
			field     string
			got, want any
		}{
			{"length", len(b), 544 + 24*2},
			{"sizeof_hdr", int32(o.Uint32(b[0:])), int32(540)},
			{"magic", string(b[4:12]), "n+2\x00\r\n\x1a\n"},
			{"datatype, bitpix", [2]uint16{o.Uint16(b[12:]), o.Uint16(b[14:])}, [2]uint16{4, 16}},
			{"dim[0..3]", [4]int64{i64(16), i64(24), i64(32), i64(40)}, [4]int64{3, 3, 4, 2}},
			{"pixdim[0..3]", [4]float64{f64(104), f64(112), f64(120), f64(128)}, [4]float64{-1, 1.25, 0.75, 2.5}},
			{"vox_offset", i64(168), int64(544)},
			{"scl_slope, scl_inter", [2]float64{f64(176), f64(184)}, [2]float64{2, -1}},
			{"descrip", string(b[240 : 240+17]), "segqa test volume"},
			{"qform_code, sform_code", [2]uint32{o.Uint32(b[344:]), o.Uint32(b[348:])}, [2]uint32{1, 2}},
			{"quatern_b, qoffset_x", [2]float64{f64(352), f64(376)}, [2]float64{0.5, -10.5}},
			{"srow_y[2], srow_z[3]", [2]float64{f64(400 + 32 + 16), f64(400 + 64 + 24)}, [2]float64{0.125, 30}},
			{"xyzt_units", o.Uint32(b[500:]), uint32(10)},
			{"extension", [4]byte(b[540:544]), [4]byte{}},
			{"first voxel", o.Uint16(b[544:]), uint16(0x1234)},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("NIfTI-2 %v %s = %v, want %v", o, c.field, c.got, c.want)
			}
		}
	}
}
