using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace SiteCraft.Ml.LocalModel.Engine;

/// <summary>The engine's hot kernel: y = W x for a row-major W, four rows at a time.</summary>
internal static unsafe class MatrixVector
{
    /// <summary>
    /// Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of y = W x. Four rows share each
    /// load of x, and two accumulators per row keep eight FMA chains in flight, enough to hide FMA latency.
    /// </summary>
    public static void MultiplyRows(float* w, float* x, float* y, int rowStart, int rowEnd, int columns)
    {
        var row = rowStart;
        if (Vector256.IsHardwareAccelerated && columns >= 16)
        {
            var vectorColumns = columns & ~7;
            for (; row + 4 <= rowEnd; row += 4)
            {
                var w0 = w + ((long)row * columns);
                var w1 = w0 + columns;
                var w2 = w1 + columns;
                var w3 = w2 + columns;
                var a0 = Vector256<float>.Zero;
                var a1 = Vector256<float>.Zero;
                var a2 = Vector256<float>.Zero;
                var a3 = Vector256<float>.Zero;
                var b0 = Vector256<float>.Zero;
                var b1 = Vector256<float>.Zero;
                var b2 = Vector256<float>.Zero;
                var b3 = Vector256<float>.Zero;
                var c = 0;
                for (; c + 16 <= vectorColumns; c += 16)
                {
                    var x0 = Vector256.Load(x + c);
                    var x1 = Vector256.Load(x + c + 8);
                    a0 = Vector256.FusedMultiplyAdd(Vector256.Load(w0 + c), x0, a0);
                    a1 = Vector256.FusedMultiplyAdd(Vector256.Load(w1 + c), x0, a1);
                    a2 = Vector256.FusedMultiplyAdd(Vector256.Load(w2 + c), x0, a2);
                    a3 = Vector256.FusedMultiplyAdd(Vector256.Load(w3 + c), x0, a3);
                    b0 = Vector256.FusedMultiplyAdd(Vector256.Load(w0 + c + 8), x1, b0);
                    b1 = Vector256.FusedMultiplyAdd(Vector256.Load(w1 + c + 8), x1, b1);
                    b2 = Vector256.FusedMultiplyAdd(Vector256.Load(w2 + c + 8), x1, b2);
                    b3 = Vector256.FusedMultiplyAdd(Vector256.Load(w3 + c + 8), x1, b3);
                }

                if (c < vectorColumns)
                {
                    var x0 = Vector256.Load(x + c);
                    a0 = Vector256.FusedMultiplyAdd(Vector256.Load(w0 + c), x0, a0);
                    a1 = Vector256.FusedMultiplyAdd(Vector256.Load(w1 + c), x0, a1);
                    a2 = Vector256.FusedMultiplyAdd(Vector256.Load(w2 + c), x0, a2);
                    a3 = Vector256.FusedMultiplyAdd(Vector256.Load(w3 + c), x0, a3);
                    c += 8;
                }

                var s0 = Vector256.Sum(a0 + b0);
                var s1 = Vector256.Sum(a1 + b1);
                var s2 = Vector256.Sum(a2 + b2);
                var s3 = Vector256.Sum(a3 + b3);
                for (; c < columns; c++)
                {
                    s0 += w0[c] * x[c];
                    s1 += w1[c] * x[c];
                    s2 += w2[c] * x[c];
                    s3 += w3[c] * x[c];
                }

                y[row] = s0;
                y[row + 1] = s1;
                y[row + 2] = s2;
                y[row + 3] = s3;
            }
        }

        for (; row < rowEnd; row++)
        {
            y[row] = TensorPrimitives.Dot(new ReadOnlySpan<float>(w + ((long)row * columns), columns), new ReadOnlySpan<float>(x, columns));
        }
    }

    /// <summary>y = W x over all rows, on the caller's thread.</summary>
    public static void Multiply(float[] w, float[] x, float[] y, int rows, int columns)
    {
        fixed (float* pw = w, px = x, py = y)
        {
            MultiplyRows(pw, px, py, 0, rows, columns);
        }
    }
}
