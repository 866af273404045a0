/// A zero-centred gradient penalty on the discriminator's score s (a logit for the log losses),
/// Mescheder, Geiger & Nowozin (2018), "Which Training Methods for GANs do actually Converge?", eq. 9–10:
/// R1 = γ/2 · E_real ‖∇ₓ s(x)‖², R2 = γ/2 · E_fake ‖∇ₓ s(x)‖².
///
/// Unregularised GAN training need not converge even locally (their Dirac-GAN: D and G circle the
/// equilibrium forever); R1 damps D's gradient on the data and makes the equilibrium locally convergent.
/// Added to D's loss only; its gradient with respect to D's parameters is a double backward through D
/// (`MLP.addInputGradientPenalty`). WGAN-GP's one-centred penalty is the loss `.wassersteinGP`.
public enum GradientPenalty: String, Sendable, CaseIterable, Equatable {
    /// No penalty (the default and the reference).
    case none
    /// R1: on the real samples D sees.
    case r1
    /// R2: on the fakes D sees.
    case r2
}

/// What a gradient penalty does with the per-sample input gradients g = ∇ₓ s(x): its value and its seed
/// adjoint ∂P/∂g, from which the double backward propagates to D's parameters.
public enum InputGradientPenalty: Sendable, Equatable {
    /// P = (γ/2) · mean ‖g‖²;  ∂P/∂g = (γ/N) · g.  (R1, R2.)
    case zeroCentred(weight: Float)
    /// P = λ · mean (‖g‖ − 1)²;  ∂P/∂g = (2λ/N) · (‖g‖ − 1) · g/‖g‖  (WGAN-GP, Gulrajani et al., 2017, eq. 3;
    /// ‖g‖ is evaluated as √(‖g‖² + 1e-12) so a zero gradient has a finite seed).
    case oneCentred(weight: Float)
}
