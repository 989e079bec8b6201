using BankClientele.FootTraffic.Staffing;

namespace BankClientele.FootTraffic.Lobby;

/// <summary>A suggested event slot: when, how many visitors are expected during it, and the counters spare beyond the need.</summary>
public sealed record SuggestedSlot(DateOnly Day, int StartHour, int Hours, double ExpectedVisitors, int SpareCounters, bool StaffedWithoutHarm);

/// <summary>
/// Suggests event slots from a week's staffing plan: the consecutive hours with the most expected
/// visitors (an audience), preferring those where every hour keeps a counter spare beyond what the
/// service level needs (staff to run the event without lengthening the queue). Slots do not overlap.
/// </summary>
public static class SlotSuggester
{
    public static IReadOnlyList<SuggestedSlot> Suggest(IReadOnlyList<PlanHour> plan, int hours, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        var candidates = new List<SuggestedSlot>();
        foreach (var day in plan.GroupBy(h => h.Day))
        {
            var byHour = day.ToDictionary(h => h.Hour);
            foreach (var start in byHour.Keys)
            {
                var window = Enumerable.Range(start, hours).Select(h => byHour.GetValueOrDefault(h)).ToList();
                if (window.Any(h => h is null) || window.Sum(h => h!.ForecastArrivals) <= 0)
                {
                    continue;
                }
                var spare = window.Min(h => h!.RosteredCounters - h.RequiredCounters);
                candidates.Add(new SuggestedSlot(day.Key, start, hours, Math.Round(window.Sum(h => h!.ForecastArrivals), 1), spare, spare >= 1));
            }
        }
        var chosen = new List<SuggestedSlot>();
        foreach (var slot in candidates.OrderByDescending(s => s.StaffedWithoutHarm).ThenByDescending(s => s.ExpectedVisitors).ThenBy(s => s.Day).ThenBy(s => s.StartHour))
        {
            if (chosen.Count == count)
            {
                break;
            }
            if (!chosen.Any(c => c.Day == slot.Day && c.StartHour < slot.StartHour + slot.Hours && slot.StartHour < c.StartHour + c.Hours))
            {
                chosen.Add(slot);
            }
        }
        return chosen;
    }
}
