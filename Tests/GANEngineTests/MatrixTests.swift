import Testing
import GANEngine

@Suite struct MatrixTests {
    @Test func subscript_isRowMajor() {
        let m = Matrix(rows: 2, columns: 3, values: [1, 2, 3, 4, 5, 6])
        #expect(m[0, 2] == 3)
        #expect(m[1, 0] == 4)
        m[1, 1] = 9
        #expect(m.data[4] == 9)
    }

    @Test func setRows_withinCapacity_keepsStorage() {
        let m = Matrix(rows: 10, columns: 2)
        let pointer = m.data
        m.setRows(4)
        #expect(m.rows == 4 && m.count == 8)
        m.setRows(10)
        #expect(m.data == pointer)
        m.setRows(11)
        #expect(m.rowCapacity == 11 && m.rows == 11)
    }

    @Test func isFinite_detectsNaNAndInfinity() {
        let m = Matrix(rows: 1, columns: 3, values: [0, 1, 2])
        #expect(m.isFinite)
        m[0, 1] = .nan
        #expect(!m.isFinite)
        m[0, 1] = .infinity
        #expect(!m.isFinite)
    }

    @Test func cloneAndCopy_areIndependent() {
        let m = Matrix(rows: 1, columns: 2, values: [1, 2])
        let c = m.clone()
        m[0, 0] = 5
        #expect(c[0, 0] == 1)
        let d = Matrix(rows: 0, columns: 2)
        d.copy(from: m)
        #expect(d.values == [5, 2])
    }
}
