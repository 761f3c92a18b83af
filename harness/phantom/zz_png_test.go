package phantom

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"testing"
)

// go test -run TestDumpPNG -png=1 ; not committed.
func TestDumpPNG(t *testing.T) {
	if os.Getenv("PNG") == "" {
		t.Skip()
	}
	os.MkdirAll("/tmp/phantom", 0o755)
	for n := 1; n <= 10; n++ {
		pt := Generate(Params{}, 1, n)
		for ph, f := range []Frame{pt.EDFrame, pt.ESFrame} {
			{
				img := crop(pt, f, 2)
				w, _ := os.Create(fmt.Sprintf("/tmp/phantom/c%02d_%s.png", n, []string{"ed", "es"}[ph]))
				png.Encode(w, img)
				w.Close()
			}
			for _, contour := range []bool{false, true} {
				img := montage(pt, f, contour)
				name := fmt.Sprintf("/tmp/phantom/p%02d_%s_%d.png", n, []string{"ed", "es"}[ph], map[bool]int{false: 0, true: 1}[contour])
				w, _ := os.Create(name)
				png.Encode(w, img)
				w.Close()
			}
		}
	}
}

func montage(pt Patient, f Frame, contour bool) image.Image {
	nx, ny := pt.Nx, pt.Ny
	cols := 5
	rows := (pt.Nz + cols - 1) / cols
	out := image.NewRGBA(image.Rect(0, 0, cols*nx, rows*ny))
	plane := nx * ny
	for z := range pt.Nz {
		im := f.Image[z*plane : (z+1)*plane]
		lb := f.Label[z*plane : (z+1)*plane]
		var hi float32
		for _, v := range im {
			hi = max(hi, v)
		}
		hi *= 0.8
		ox, oy := (z%cols)*nx, (z/cols)*ny
		for j := range ny {
			for i := range nx {
				v := im[j*nx+i] / hi * 255
				g := uint8(min(max(v, 0), 255))
				c := color.RGBA{g, g, g, 255}
				l := lb[j*nx+i]
				if contour && l != 0 {
					edge := false
					for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
						ii, jj := i+d[0], j+d[1]
						if ii < 0 || jj < 0 || ii >= nx || jj >= ny || lb[jj*nx+ii] != l {
							edge = true
						}
					}
					if edge {
						c = [4]color.RGBA{{}, {255, 60, 60, 255}, {60, 255, 60, 255}, {255, 255, 0, 255}}[l]
					}
				}
				out.Set(ox+i, oy+j, c)
			}
		}
	}
	return out
}

// crop shows the central 112x112 of every slice, zoomed 2x, image then contour side by side.
func crop(pt Patient, f Frame, zoom int) image.Image {
	nx, ny := pt.Nx, pt.Ny
	c := 112
	x0, y0 := (nx-c)/2, (ny-c)/2
	full := montage(pt, f, false)
	cont := montage(pt, f, true)
	cols := 5
	out := image.NewRGBA(image.Rect(0, 0, cols*c*zoom, 2*((pt.Nz+cols-1)/cols)*c*zoom))
	for z := range pt.Nz {
		ox, oy := (z%cols)*nx+x0, (z/cols)*ny+y0
		for k, src := range []image.Image{full, cont} {
			bx := (z % cols) * c * zoom
			by := ((z/cols)*2 + k) * c * zoom
			for j := 0; j < c*zoom; j++ {
				for i := 0; i < c*zoom; i++ {
					out.Set(bx+i, by+j, src.At(ox+i/zoom, oy+j/zoom))
				}
			}
		}
	}
	return out
}
