package graphs_test

import (
	"fmt"
	"sync"
	"testing"

	tf "github.com/wamuir/graft/tensorflow"
	"github.com/wamuir/graft/tensorflow/op"

	"github.com/segqa/segqa/graphs"
	"github.com/segqa/segqa/harness/tfrun"
)

// BenchmarkConcurrent measures whether small networks train faster as two
// single-threaded sessions side by side than as one session using every
// thread: img/s is the total over the sessions.
func BenchmarkConcurrent(b *testing.B) {
	const batch = 16
	x := tfrun.MustFloat32(noise(batch*64*64), batch, 64, 64, 1)
	// The zoo's largest U-Net and one the size of quick's REC-Net.
	for _, filters := range []int64{8, 16} {
		for _, c := range []struct{ sessions, threads int }{{1, 2}, {2, 2}, {1, 1}, {2, 1}} {
			b.Run(fmt.Sprintf("unet_d3_f%d_64px/%dx%dthreads", filters, c.sessions, c.threads), func(b *testing.B) {
				type job struct {
					sess  *tf.Session
					m     *graphs.Model
					feeds map[tf.Output]*tf.Tensor
				}
				var jobs []job
				for range c.sessions {
					s := op.NewScope()
					m := graphs.Segmenter(s, graphs.UNetSpec{Depth: 3, Filters: filters, Out: 1}, 64, graphs.DiceBCE, 1, graphs.Adam{})
					feeds := map[tf.Output]*tf.Tensor{m.Inputs[0]: x, m.Target: x}
					sess, err := tfrun.Open(s, tfrun.Options{Threads: c.threads, Device: "cpu"})
					if err != nil {
						b.Fatal(err)
					}
					defer sess.Close()
					if _, err := sess.Run(nil, nil, []*tf.Operation{m.Init}); err != nil {
						b.Fatal(err)
					}
					if _, err := sess.Run(feeds, []tf.Output{m.Loss}, []*tf.Operation{m.Train}); err != nil {
						b.Fatal(err)
					}
					jobs = append(jobs, job{sess, m, feeds})
				}
				b.ResetTimer()
				steps := 0
				for b.Loop() {
					var wg sync.WaitGroup
					for _, j := range jobs {
						wg.Add(1)
						go func() {
							defer wg.Done()
							for range 4 {
								if _, err := j.sess.Run(j.feeds, []tf.Output{j.m.Loss}, []*tf.Operation{j.m.Train}); err != nil {
									b.Error(err)
									return
								}
							}
						}()
					}
					wg.Wait()
					steps += 4 * len(jobs)
				}
				b.ReportMetric(float64(steps*batch)/b.Elapsed().Seconds(), "img/s")
			})
		}
	}
}
