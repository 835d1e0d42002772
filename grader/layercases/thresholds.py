"""Per-function relative-error bars, and where they come from.

The error is CS231n's rel_error: the max over elements of |a - b| / (|a| + |b|), between a
correct analytic gradient and the numerical one (inputs.LINEAR / inputs.SMOOTH steps). For a
correct backward it is rounding noise divided by the size of the *smallest* gradient element, and
small elements (a dw column summed over 2 examples, a batchnorm dx after the mean is removed)
occur at random, so its distribution has a 1/t tail: P(error > t) ~ 0.01 * p99 / t.
Rule: each bar is >= 1000 x the 99th percentile and >= 10 x the worst value measured for the
function's cases (1000 seeds; 100 for conv, pool and lstm), rounded up to a power of ten, so
a correct implementation fails with probability ~1e-5 per run. The smallest bug worth catching
(one element off by 1 part in 1e3) already gives 5e-4, above every bar here; transposes, missing
terms and wrong scales give 1e-2 .. 1. tests/solutions/test_gradients.py checks both sides.

Measured with the reference solutions (grader.layercases.reference_gradcheck over seeds
1000..1999) on the project machine; p99 / worst per function:
"""

#: exact maps: one input element per output element (relu, leaky/prelu, clip, dropout, gather,
#: max-pool, word embedding) or piecewise-quadratic losses off their kinks (svm, mse, huber):
#: p99 <= 5.5e-12, worst 6.1e-13 .. 1.3e-11 (svm 3.3e-12, mse 5.4e-12, huber 7.0e-12)
EXACT = 1e-7
#: sums of products: affine p99 3.3e-10 / worst 6.9e-9; temporal_affine 1.5e-10 / 1.4e-9;
#: conv 8.6e-10 / 3.4e-9 (the 4-D affine with N = 2 has the smallest dw elements)
AFFINE = 1e-6
CONV = 1e-6
#: smooth activations: sigmoid p99 1.8e-10 / worst 2.7e-10 (saturated inputs), tanh 6.2e-12 / 2e-11
ACTIVATION = 1e-6
#: softmax losses: softmax_loss 6.2e-11 / 1.9e-10; temporal_softmax_loss 1.7e-10 / 4.1e-10
SOFTMAX = 1e-6
#: normalisation, whose dx sums to 0 per feature (batchnorm) or per example (layernorm):
#: batchnorm (both backwards) p99 3.2e-9 / worst 3.9e-8; layernorm 3.5e-10 / 1.1e-8
BATCHNORM = 1e-5
LAYERNORM = 1e-6
#: recurrences multiply Jacobians: rnn_step 1.1e-9 / 7.4e-8, rnn 7.4e-9 / 7.2e-7,
#: lstm_step 3.0e-9 / 1.2e-8, lstm 7.5e-9 / 8.5e-9 (100 seeds only, hence one decade more)
RNN = 1e-5
LSTM_STEP = 1e-5
LSTM = 1e-4
#: value-only cases: forward outputs against the reference's, same formula up to rounding
VALUE = 1e-10
