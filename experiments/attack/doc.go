// Package attack implements the adversarial attacks of segqa's evaluation
// on a trained model in an open session: the fast gradient sign method
// (FGSM, Goodfellow et al. 2015, in the form of Kurakin et al. 2016 that the
// paper cites), its iterated form, BIM/PGD with random starts and restarts
// (Madry et al. 2018), Auto-PGD with momentum and a step size that halves
// when progress stalls (APGD, Croce and Hein 2020), and two attacks that
// need only forward passes and so cannot be fooled by masked gradients: the
// Square attack (Andriushchenko et al. 2020), a random search, and
// SignHunter's sign-flip search over tiles that halve in side (Al-Dujaili
// and O'Reilly 2020), which on 64 px images finds far more of the damage
// the gradient attacks find for the same time. AcrossThreshold turns any of
// them into an attack on quality control's decision: it pushes predicted
// Dice across the pass threshold.
//
// Each attack is a struct of its settings (FGSM, PGD, APGD, Square,
// SignHunter, Threshold) behind one interface, Attack: Perturb attacks a
// batch, Budget says what it spends. PGD.StepAt is the one step-size rule
// of the PGD-like attacks. A Target names the tensor that is attacked (an
// input placeholder, or an intermediate tensor such as the difference
// image, which TensorFlow lets a caller feed) and the gradient of the
// model's loss with respect to it. The gradient of FGSM does not depend on
// epsilon, so a caller may compute Sign once per batch and apply it with
// Step at every epsilon. Every attack increases the model's loss, the error
// of the predicted Dice against the true one, and keeps its result within
// epsilon of the clean value in L∞ (and in the target's range when it
// clips).
//
// Trainer makes adversarial training's examples with PGD, before each
// training step, in the training session.
package attack
