namespace BankClientele.Testing;

/// <summary>Bounded waiting for a condition: never a fixed sleep.</summary>
public static class Poll
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Polls until <paramref name="probe"/> returns a value that satisfies <paramref name="done"/>; fails with the last value otherwise.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {(timeout ?? DefaultTimeout).TotalSeconds:0}s waiting for {what}; last value: {last}");
            }
            await Task.Delay(100);
        }
    }
}
