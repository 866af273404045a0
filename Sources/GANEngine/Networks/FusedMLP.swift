/// One `MLP` evaluated with the batch across SIMD lanes: eight samples per `SIMD8<Float>`, so every
/// layer, a 2-input or a 1-output one included, runs at full vector width, with no per-layer call,
/// no `Matrix` and no allocation in a step.
///
/// Why: at GAN Lab's default size (2 → 8 → 8 → 1) a row-major batch spends more time in call
/// overhead and in 1- and 2-column products than in arithmetic (docs/engine.md, "Speed"). With the
/// samples in lanes, a layer costs in·out fused multiply-adds per eight samples whatever its
/// width, every activation and loss term is one vector operation, and the weights, splatted once
/// per pass, are memory operands of the FMAs.
///
/// Layout: neuron-major, element `values[slot · groupCapacity + group]` holds neuron `slot` for
/// samples 8·group … 8·group + 7. Slots 0 ..< inputWidth are the input, then each layer's outputs
/// in order. `gradients` has the same layout: dL/dz (before the activation) in each layer's output
/// slots, dL/dx in the input slots.
///
/// The general path (`MLP.forward` / `backward` over `Dense` and `ActivationLayer`) is the naive
/// reference: FusedMLPTests compares outputs and gradients with it on random networks.
final class FusedMLP {
    /// Eight samples, one per lane.
    typealias Lanes = SIMD8<Float>
    /// Samples per `Lanes`.
    static let laneCount = 8

    /// One dense layer and the activation after it, as raw pointers into the network's parameters.
    private struct Stage {
        var inputWidth: Int
        var outputWidth: Int
        var activation: Activation
        /// (in, out) row-major, as `Dense` stores it.
        var weight: UnsafeMutablePointer<Float>
        /// (1, out).
        var bias: UnsafeMutablePointer<Float>
        var weightGradient: UnsafeMutablePointer<Float>
        var biasGradient: UnsafeMutablePointer<Float>
        /// First slot of the input and of the output.
        var inputSlot: Int, outputSlot: Int
        /// Offset of this stage's splatted weights (in·out, row-major) and then bias (out) in `splatted`.
        var splatOffset: Int
    }

    /// The network whose parameters are read and whose gradients are written (kept alive here).
    let network: MLP
    /// Columns of the input.
    let inputWidth: Int
    /// Columns of the output.
    let outputWidth: Int
    /// First slot of the output layer.
    let outputSlot: Int
    /// Groups of eight samples the buffers hold.
    private(set) var groupCapacity: Int
    /// Activations, `slotCount` × `groupCapacity`.
    private(set) var values: UnsafeMutablePointer<Lanes>
    /// dL/dz per slot (dL/dx in the input slots), `slotCount` × `groupCapacity`.
    private(set) var gradients: UnsafeMutablePointer<Lanes>

    private let stages: UnsafeMutablePointer<Stage>
    private let stageCount: Int
    private let slotCount: Int
    /// Every weight and bias as eight equal lanes, refreshed at the start of each pass.
    private let splatted: UnsafeMutablePointer<Lanes>
    private let splatCount: Int

    /// True when `network` is dense layers and element-wise activations only (no batch norm).
    static func supports(_ network: MLP) -> Bool {
        network.layers.allSatisfy { $0 is Dense || $0 is ActivationLayer }
    }

    /// Lanes for `network` with room for `groupCapacity` groups of eight samples; nil with batch norm.
    init?(network: MLP, groupCapacity: Int) {
        guard Self.supports(network) else { return nil }
        var found: [Stage] = []
        var slot = network.inputWidth, splat = 0, index = 0
        let layers = network.layers
        while index < layers.count {
            guard let dense = layers[index] as? Dense else { return nil }
            var activation = Activation.linear
            if index + 1 < layers.count, let next = layers[index + 1] as? ActivationLayer {
                activation = next.activation
                index += 2
            } else {
                index += 1
            }
            let (inWidth, outWidth) = (dense.inputWidth, dense.outputWidth)
            found.append(Stage(inputWidth: inWidth, outputWidth: outWidth, activation: activation,
                               weight: dense.weight.value.data, bias: dense.bias.value.data,
                               weightGradient: dense.weight.gradient.data, biasGradient: dense.bias.gradient.data,
                               inputSlot: slot - inWidth, outputSlot: slot, splatOffset: splat))
            slot += outWidth
            splat += inWidth * outWidth + outWidth
        }
        self.network = network
        inputWidth = network.inputWidth
        outputWidth = network.outputWidth
        outputSlot = slot - network.outputWidth
        slotCount = slot
        stageCount = found.count
        stages = .allocate(capacity: found.count)
        stages.initialize(from: found, count: found.count)
        splatCount = splat
        splatted = .allocate(capacity: max(1, splat))
        splatted.initialize(repeating: .zero, count: max(1, splat))
        self.groupCapacity = max(1, groupCapacity)
        values = .allocate(capacity: slot * self.groupCapacity)
        values.initialize(repeating: .zero, count: slot * self.groupCapacity)
        gradients = .allocate(capacity: slot * self.groupCapacity)
        gradients.initialize(repeating: .zero, count: slot * self.groupCapacity)
    }

    deinit {
        stages.deallocate()
        splatted.deallocate()
        values.deallocate()
        gradients.deallocate()
    }

    /// Groups of eight needed for `samples` samples.
    @inline(__always)
    static func groups(for samples: Int) -> Int { (samples &+ 7) >> 3 }

    /// Grows the buffers (contents lost) to hold at least `groups` groups; a steady state never does.
    func reserve(groups: Int) {
        guard groups > groupCapacity else { return }
        values.deallocate()
        gradients.deallocate()
        groupCapacity = groups
        values = .allocate(capacity: slotCount * groups)
        values.initialize(repeating: .zero, count: slotCount * groups)
        gradients = .allocate(capacity: slotCount * groups)
        gradients.initialize(repeating: .zero, count: slotCount * groups)
    }

    /// Slot `slot` of group 0 in `buffer` (the next group follows; the next slot is `groupCapacity` on).
    @inline(__always)
    func lanes(_ buffer: UnsafeMutablePointer<Lanes>, slot: Int) -> UnsafeMutablePointer<Lanes> {
        buffer + slot &* groupCapacity
    }

    /// Writes `count` row-major (count, inputWidth) samples into the input slots from group `firstGroup`
    /// on, zero-filling the unused lanes of the last group.
    func setInput(rows: UnsafePointer<Float>, count: Int, firstGroup: Int) {
        Self.transpose(rows, count: count, width: inputWidth, into: lanes(values, slot: 0) + firstGroup, slotStride: groupCapacity)
    }

    /// Writes dL/dy for `count` samples, row-major (count, outputWidth), into the output slots of
    /// `gradients` (unused lanes get 0), ready for `backward`.
    func setOutputGradient(rows: UnsafePointer<Float>, count: Int) {
        Self.transpose(rows, count: count, width: outputWidth, into: lanes(gradients, slot: outputSlot), slotStride: groupCapacity)
    }

    /// The output y, row-major (count, outputWidth).
    func output(count: Int) -> [Float] { rows(of: values, slot: outputSlot, width: outputWidth, count: count) }

    /// dL/dx after `backward(computesInputGradient: true)`, row-major (count, inputWidth).
    func inputGradient(count: Int) -> [Float] { rows(of: gradients, slot: 0, width: inputWidth, count: count) }

    /// Row-major (count, width) → lanes: column i goes to `target + i·slotStride`, eight samples a group.
    private static func transpose(_ rows: UnsafePointer<Float>, count: Int, width: Int,
                                  into target: UnsafeMutablePointer<Lanes>, slotStride: Int) {
        let full = count >> 3
        for i in 0..<width {
            let slot = target + i &* slotStride
            for g in 0..<full {
                let r = rows + (g &* 8 &* width &+ i)  // eight strided loads; the compiler gathers them
                slot[g] = Lanes(r[0], r[width], r[2 &* width], r[3 &* width],
                                r[4 &* width], r[5 &* width], r[6 &* width], r[7 &* width])
            }
            if full &* 8 < count {
                var v = Lanes.zero
                for lane in 0..<(count &- full &* 8) { v[lane] = rows[(full &* 8 &+ lane) &* width &+ i] }
                slot[full] = v
            }
        }
    }

    /// Lanes → row-major (count, width) from slots `slot ..< slot + width` of `buffer`.
    private func rows(of buffer: UnsafeMutablePointer<Lanes>, slot: Int, width: Int, count: Int) -> [Float] {
        var result = [Float](repeating: 0, count: count * width)
        for j in 0..<width {
            let lanes = self.lanes(buffer, slot: slot + j)
            for s in 0..<count { result[s * width + j] = lanes[s >> 3][s & 7] }
        }
        return result
    }

    // MARK: Forward and backward

    /// Runs the network on groups 0 ..< `groupCount` of the input slots, layer after layer over all
    /// groups (independent groups keep the FMA pipes busy). (groups·8, in) -> (groups·8, out).
    func forward(groupCount: Int) {
        splatParameters()
        for s in 0..<stageCount { dispatch(.forward, stages[s], groupCount, stages[s].activation) }
    }

    /// Given dL/dy in the output slots of `gradients` (y after the output activation), writes dL/dz of
    /// every layer into its output slots and, when `computesInputGradient`, dL/dx into the input slots.
    /// Must follow `forward` on the same groups (it reads y through `values`).
    /// dz = dy ⊙ f′(y);  dx (groups·8, in) = dz · Wᵀ, then ⊙ f′ of the layer below.
    func backward(groupCount: Int, computesInputGradient: Bool) {
        let top = stages[stageCount - 1]
        dispatch(.outputGradient, top, groupCount, top.activation)
        var s = stageCount - 1
        while s >= 0 {
            if s > 0 {
                dispatch(.propagate, stages[s], groupCount, stages[s - 1].activation)
            } else if computesInputGradient {
                dispatch(.propagate, stages[s], groupCount, .linear)
            }
            s -= 1
        }
    }

    /// The loops of one pass over one stage.
    private enum Pass {
        /// y = f(x·W + b).
        case forward
        /// dz = dy ⊙ f′(y) at the network's output, f the stage's own activation.
        case outputGradient
        /// dL/dz of the stage below, f the activation below (`.linear` for dL/dx).
        case propagate
    }

    /// Runs `pass` specialised for `activation`: the one switch on the activation per stage and pass.
    private func dispatch(_ pass: Pass, _ stage: Stage, _ groupCount: Int, _ activation: Activation) {
        switch activation {
        case .relu: run(pass, stage, groupCount, ReLULanes())
        case .leakyReLU(let slope): run(pass, stage, groupCount, LeakyReLULanes(slope: slope))
        case .tanh: run(pass, stage, groupCount, TanhLanes())
        case .sigmoid: run(pass, stage, groupCount, SigmoidLanes())
        case .linear: run(pass, stage, groupCount, LinearLanes())
        }
    }

    @inline(__always)
    private func run<F: LaneActivation>(_ pass: Pass, _ stage: Stage, _ groupCount: Int, _ f: F) {
        switch pass {
        case .forward: forward(stage, groupCount, f)
        case .propagate: propagate(stage, groupCount, below: f)
        case .outputGradient:
            if F.self == LinearLanes.self { return }
            for j in 0..<stage.outputWidth {
                let y = lanes(values, slot: stage.outputSlot &+ j), dy = lanes(gradients, slot: stage.outputSlot &+ j)
                for g in 0..<groupCount { dy[g] = f.backpropagate(dy[g], output: y[g]) }
            }
        }
    }

    /// dW (in, out) = Σ_samples x ⊗ dz and db (1, out) = Σ_samples dz over groups 0 ..< `groupCount`,
    /// into every `Dense` layer's parameter gradients (overwritten). Unused lanes must hold dz = 0.
    func writeParameterGradients(groupCount: Int) {
        for s in 0..<stageCount { writeParameterGradients(stages[s], groupCount) }
    }

    /// y = f(x·W + b) for one stage over all groups: eight (then four, then one) outputs at a time in
    /// register accumulators, each input loaded once for all of them.
    @inline(__always)
    private func forward<F: LaneActivation>(_ stage: Stage, _ groupCount: Int, _ f: F) {
        let gc = groupCapacity, inputs = stage.inputWidth, outputs = stage.outputWidth
        let x = lanes(values, slot: stage.inputSlot), y = lanes(values, slot: stage.outputSlot)
        let w = splatted + stage.splatOffset, b = w + inputs &* outputs
        var j = 0
        while j &+ 8 <= outputs {
            for g in 0..<groupCount {
                var z0 = b[j], z1 = b[j &+ 1], z2 = b[j &+ 2], z3 = b[j &+ 3]
                var z4 = b[j &+ 4], z5 = b[j &+ 5], z6 = b[j &+ 6], z7 = b[j &+ 7]
                var xi = x + g, wi = w + j
                for _ in 0..<inputs {
                    let v = xi.pointee
                    z0.addProduct(v, wi[0]); z1.addProduct(v, wi[1]); z2.addProduct(v, wi[2]); z3.addProduct(v, wi[3])
                    z4.addProduct(v, wi[4]); z5.addProduct(v, wi[5]); z6.addProduct(v, wi[6]); z7.addProduct(v, wi[7])
                    xi += gc
                    wi += outputs
                }
                let yj = y + (j &* gc &+ g)
                yj[0] = f.apply(z0); yj[gc] = f.apply(z1); yj[2 &* gc] = f.apply(z2); yj[3 &* gc] = f.apply(z3)
                yj[4 &* gc] = f.apply(z4); yj[5 &* gc] = f.apply(z5); yj[6 &* gc] = f.apply(z6); yj[7 &* gc] = f.apply(z7)
            }
            j &+= 8
        }
        while j &+ 4 <= outputs {
            for g in 0..<groupCount {
                var z0 = b[j], z1 = b[j &+ 1], z2 = b[j &+ 2], z3 = b[j &+ 3]
                var xi = x + g, wi = w + j
                for _ in 0..<inputs {
                    let v = xi.pointee
                    z0.addProduct(v, wi[0]); z1.addProduct(v, wi[1]); z2.addProduct(v, wi[2]); z3.addProduct(v, wi[3])
                    xi += gc
                    wi += outputs
                }
                let yj = y + (j &* gc &+ g)
                yj[0] = f.apply(z0); yj[gc] = f.apply(z1)
                yj[2 &* gc] = f.apply(z2); yj[3 &* gc] = f.apply(z3)
            }
            j &+= 4
        }
        while j < outputs {
            // A lone output (a 1- or 2-unit layer): four partial sums over the inputs, so the FMAs do
            // not wait on each other.
            for g in 0..<groupCount {
                var z0 = b[j], z1 = Lanes.zero, z2 = Lanes.zero, z3 = Lanes.zero
                var xi = x + g, wi = w + j
                var k = 0
                while k &+ 4 <= inputs {
                    z0.addProduct(xi[0], wi[0]); z1.addProduct(xi[gc], wi[outputs])
                    z2.addProduct(xi[2 &* gc], wi[2 &* outputs]); z3.addProduct(xi[3 &* gc], wi[3 &* outputs])
                    xi += 4 &* gc
                    wi += 4 &* outputs
                    k &+= 4
                }
                while k < inputs {
                    z0.addProduct(xi.pointee, wi.pointee)
                    xi += gc
                    wi += outputs
                    k &+= 1
                }
                y[j &* gc &+ g] = f.apply((z0 + z1) + (z2 + z3))
            }
            j &+= 1
        }
    }

    /// dL/dz of the stage below (or dL/dx when `below` is the input, passed as `.linear`):
    /// (Σ_j W[i, j]·dz[j]) ⊙ f′_below(x[i]), eight (then four, then one) inputs i at a time.
    @inline(__always)
    private func propagate<F: LaneActivation>(_ stage: Stage, _ groupCount: Int, below: F) {
        let gc = groupCapacity, inputs = stage.inputWidth, outputs = stage.outputWidth
        let x = lanes(values, slot: stage.inputSlot)
        let dz = lanes(gradients, slot: stage.outputSlot), dx = lanes(gradients, slot: stage.inputSlot)
        let w = splatted + stage.splatOffset
        var i = 0
        while i &+ 8 <= inputs {
            let w0 = w + i &* outputs, w1 = w0 + outputs, w2 = w1 + outputs, w3 = w2 + outputs
            let w4 = w3 + outputs, w5 = w4 + outputs, w6 = w5 + outputs, w7 = w6 + outputs
            for g in 0..<groupCount {
                var a0 = Lanes.zero, a1 = Lanes.zero, a2 = Lanes.zero, a3 = Lanes.zero
                var a4 = Lanes.zero, a5 = Lanes.zero, a6 = Lanes.zero, a7 = Lanes.zero
                var d = dz + g
                for j in 0..<outputs {
                    let v = d.pointee
                    a0.addProduct(v, w0[j]); a1.addProduct(v, w1[j]); a2.addProduct(v, w2[j]); a3.addProduct(v, w3[j])
                    a4.addProduct(v, w4[j]); a5.addProduct(v, w5[j]); a6.addProduct(v, w6[j]); a7.addProduct(v, w7[j])
                    d += gc
                }
                let k = i &* gc &+ g
                dx[k] = below.backpropagate(a0, output: x[k])
                dx[k &+ gc] = below.backpropagate(a1, output: x[k &+ gc])
                dx[k &+ 2 &* gc] = below.backpropagate(a2, output: x[k &+ 2 &* gc])
                dx[k &+ 3 &* gc] = below.backpropagate(a3, output: x[k &+ 3 &* gc])
                dx[k &+ 4 &* gc] = below.backpropagate(a4, output: x[k &+ 4 &* gc])
                dx[k &+ 5 &* gc] = below.backpropagate(a5, output: x[k &+ 5 &* gc])
                dx[k &+ 6 &* gc] = below.backpropagate(a6, output: x[k &+ 6 &* gc])
                dx[k &+ 7 &* gc] = below.backpropagate(a7, output: x[k &+ 7 &* gc])
            }
            i &+= 8
        }
        while i &+ 4 <= inputs {
            let w0 = w + i &* outputs, w1 = w0 + outputs, w2 = w1 + outputs, w3 = w2 + outputs
            for g in 0..<groupCount {
                var a0 = Lanes.zero, a1 = Lanes.zero, a2 = Lanes.zero, a3 = Lanes.zero
                var d = dz + g
                for j in 0..<outputs {
                    let v = d.pointee
                    a0.addProduct(v, w0[j]); a1.addProduct(v, w1[j]); a2.addProduct(v, w2[j]); a3.addProduct(v, w3[j])
                    d += gc
                }
                let k = i &* gc &+ g
                dx[k] = below.backpropagate(a0, output: x[k])
                dx[k &+ gc] = below.backpropagate(a1, output: x[k &+ gc])
                dx[k &+ 2 &* gc] = below.backpropagate(a2, output: x[k &+ 2 &* gc])
                dx[k &+ 3 &* gc] = below.backpropagate(a3, output: x[k &+ 3 &* gc])
            }
            i &+= 4
        }
        while i < inputs {
            let wi = w + i &* outputs
            for g in 0..<groupCount {
                var a = Lanes.zero
                var d = dz + g
                for j in 0..<outputs {
                    a.addProduct(d.pointee, wi[j])
                    d += gc
                }
                let k = i &* gc &+ g
                dx[k] = below.backpropagate(a, output: x[k])
            }
            i &+= 1
        }
    }

    /// dW[i, j] = Σ_g Σ_lanes x[i]·dz[j] and db[j] = Σ_g Σ_lanes dz[j] for one stage: the lane sums
    /// stay in four register accumulators over all groups, then each is summed across its lanes once.
    @inline(__always)
    private func writeParameterGradients(_ stage: Stage, _ groupCount: Int) {
        let gc = groupCapacity, inputs = stage.inputWidth, outputs = stage.outputWidth
        let x = lanes(values, slot: stage.inputSlot), dz = lanes(gradients, slot: stage.outputSlot)
        let dW = stage.weightGradient, db = stage.biasGradient
        var i = 0
        while i &+ 2 <= inputs && outputs >= 4 {
            // Two inputs × four outputs: eight accumulators, six loads for eight FMAs per group.
            let x0 = x + i &* gc, x1 = x0 + gc
            var j = 0
            while j &+ 4 <= outputs {
                let d0 = dz + j &* gc, d1 = d0 + gc, d2 = d1 + gc, d3 = d2 + gc
                var s0 = Lanes.zero, s1 = Lanes.zero, s2 = Lanes.zero, s3 = Lanes.zero
                var t0 = Lanes.zero, t1 = Lanes.zero, t2 = Lanes.zero, t3 = Lanes.zero
                for g in 0..<groupCount {
                    let u = x0[g], v = x1[g], e0 = d0[g], e1 = d1[g], e2 = d2[g], e3 = d3[g]
                    s0.addProduct(u, e0); s1.addProduct(u, e1); s2.addProduct(u, e2); s3.addProduct(u, e3)
                    t0.addProduct(v, e0); t1.addProduct(v, e1); t2.addProduct(v, e2); t3.addProduct(v, e3)
                }
                let row0 = dW + (i &* outputs &+ j), row1 = row0 + outputs
                row0[0] = s0.laneSum; row0[1] = s1.laneSum; row0[2] = s2.laneSum; row0[3] = s3.laneSum
                row1[0] = t0.laneSum; row1[1] = t1.laneSum; row1[2] = t2.laneSum; row1[3] = t3.laneSum
                j &+= 4
            }
            while j < outputs {
                let dj = dz + j &* gc
                var s = Lanes.zero, t = Lanes.zero
                for g in 0..<groupCount { let e = dj[g]; s.addProduct(x0[g], e); t.addProduct(x1[g], e) }
                dW[i &* outputs &+ j] = s.laneSum
                dW[(i &+ 1) &* outputs &+ j] = t.laneSum
                j &+= 1
            }
            i &+= 2
        }
        while i &+ 4 <= inputs && outputs < 4 {
            // A 1- to 3-unit layer: four inputs at a time for each output.
            let x0 = x + i &* gc, x1 = x0 + gc, x2 = x1 + gc, x3 = x2 + gc
            for j in 0..<outputs {
                let dj = dz + j &* gc
                var s0 = Lanes.zero, s1 = Lanes.zero, s2 = Lanes.zero, s3 = Lanes.zero
                for g in 0..<groupCount {
                    let e = dj[g]
                    s0.addProduct(x0[g], e); s1.addProduct(x1[g], e); s2.addProduct(x2[g], e); s3.addProduct(x3[g], e)
                }
                let column = dW + (i &* outputs &+ j)
                column[0] = s0.laneSum; column[outputs] = s1.laneSum
                column[2 &* outputs] = s2.laneSum; column[3 &* outputs] = s3.laneSum
            }
            i &+= 4
        }
        while i < inputs {
            defer { i &+= 1 }
            let xi = x + i &* gc
            var j = 0
            while j &+ 4 <= outputs {
                let d0 = dz + j &* gc, d1 = d0 + gc, d2 = d1 + gc, d3 = d2 + gc
                var s0 = Lanes.zero, s1 = Lanes.zero, s2 = Lanes.zero, s3 = Lanes.zero
                for g in 0..<groupCount {
                    let v = xi[g]
                    s0.addProduct(v, d0[g]); s1.addProduct(v, d1[g]); s2.addProduct(v, d2[g]); s3.addProduct(v, d3[g])
                }
                let row = dW + (i &* outputs &+ j)
                row[0] = s0.laneSum; row[1] = s1.laneSum; row[2] = s2.laneSum; row[3] = s3.laneSum
                j &+= 4
            }
            while j < outputs {
                let dj = dz + j &* gc
                var s = Lanes.zero
                for g in 0..<groupCount { s.addProduct(xi[g], dj[g]) }
                dW[i &* outputs &+ j] = s.laneSum
                j &+= 1
            }
        }
        var j = 0
        while j &+ 4 <= outputs {
            let d0 = dz + j &* gc, d1 = d0 + gc, d2 = d1 + gc, d3 = d2 + gc
            var s0 = Lanes.zero, s1 = Lanes.zero, s2 = Lanes.zero, s3 = Lanes.zero
            for g in 0..<groupCount { s0 += d0[g]; s1 += d1[g]; s2 += d2[g]; s3 += d3[g] }
            db[j] = s0.laneSum; db[j &+ 1] = s1.laneSum; db[j &+ 2] = s2.laneSum; db[j &+ 3] = s3.laneSum
            j &+= 4
        }
        while j < outputs {
            let dj = dz + j &* gc
            var s = Lanes.zero
            for g in 0..<groupCount { s += dj[g] }
            db[j] = s.laneSum
            j &+= 1
        }
    }

    /// Copies every weight and bias into eight equal lanes (the optimiser changed them since the last pass).
    private func splatParameters() {
        for s in 0..<stageCount {
            let stage = stages[s], target = splatted + stage.splatOffset
            let weights = stage.inputWidth &* stage.outputWidth
            for k in 0..<weights { target[k] = Lanes(repeating: stage.weight[k]) }
            for j in 0..<stage.outputWidth { target[weights &+ j] = Lanes(repeating: stage.bias[j]) }
        }
    }
}

extension SIMD8 where Scalar == Float {
    /// The sum of the eight lanes as a balanced tree (halves, then quarters): three vector adds, not seven dependent ones.
    @inline(__always)
    var laneSum: Float {
        let four = lowHalf + highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }
}
