// Package attack implements the adversarial attacks of segqa's evaluation
// on a trained model in an open session: the fast gradient sign method
// (FGSM, Goodfellow et al. 2015, in the form of Kurakin et al. 2016 that the
// paper cites) and its iterated form, BIM/PGD with random starts and
// restarts (Madry et al. 2018).
//
// A Target names the tensor that is attacked (an input placeholder, or an
// intermediate tensor such as the difference image, which TensorFlow lets a
// caller feed) and the gradient of the model's loss with respect to it. The
// gradient of FGSM does not depend on epsilon, so Sign is computed once per
// batch and Step applies it at every epsilon.
package attack
