// Learning-rate schedules against their formulas, worked by hand.
using Transformer.Training.Schedules;

namespace Transformer.Tests;

public class ScheduleTests
{
    [Fact]
    public void Inverse_sqrt_with_the_paper_peak_is_the_papers_formula()
    {
        // lr = d^-0.5 · min(step^-0.5, step · warmup^-1.5), d = 512, warmup = 4000.
        var schedule = new InverseSqrtSchedule(InverseSqrtSchedule.PaperPeak(512, 4000), 4000);
        foreach (var step in new long[] { 1, 100, 3999, 4000, 4001, 10_000, 100_000 })
        {
            var expected = Math.Pow(512, -0.5) * Math.Min(Math.Pow(step, -0.5), step * Math.Pow(4000, -1.5));
            Assert.Equal(expected, schedule.At(step), 15);
        }
        Assert.Equal(6.987712429686844e-4, schedule.At(4000), 15);   // 1 / √(512 · 4000)
    }

    [Fact]
    public void Cosine_warms_up_linearly_then_follows_a_half_cosine_to_the_floor()
    {
        var schedule = new CosineSchedule(1.0, warmupSteps: 10, totalSteps: 110, minLearningRate: 0.1);
        Assert.Equal(0.1, schedule.At(1), 12);
        Assert.Equal(0.5, schedule.At(5), 12);
        Assert.Equal(1.0, schedule.At(10), 12);
        Assert.Equal(0.1 + 0.9 * 0.5, schedule.At(60), 12);            // halfway: cos(π/2) = 0
        Assert.Equal(0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI / 4)), schedule.At(35), 12);
        Assert.Equal(0.1, schedule.At(110), 12);
        Assert.Equal(0.1, schedule.At(500), 12);
    }

    [Fact]
    public void Linear_decays_in_a_straight_line_to_the_floor()
    {
        var schedule = new LinearSchedule(2.0, warmupSteps: 4, totalSteps: 104, minLearningRate: 0);
        Assert.Equal(1.0, schedule.At(2), 12);
        Assert.Equal(2.0, schedule.At(4), 12);
        Assert.Equal(1.0, schedule.At(54), 12);
        Assert.Equal(0.0, schedule.At(104), 12);
        Assert.Equal(0.0, schedule.At(200), 12);
    }

    [Fact]
    public void Constant_holds_after_its_warm_up()
    {
        var schedule = new ConstantSchedule(0.3, warmupSteps: 3);
        Assert.Equal(new[] { 0.1, 0.2, 0.3, 0.3 }, new long[] { 1, 2, 3, 4 }.Select(s => Math.Round(schedule.At(s), 12)));
        Assert.Equal(0.3, new ConstantSchedule(0.3).At(1));
    }

    [Fact]
    public void Steps_count_from_one_and_bad_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstantSchedule(0.1).At(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InverseSqrtSchedule(1e-3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineSchedule(1e-3, 100, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LinearSchedule(1e-3, 0, 10, minLearningRate: 1));
    }
}
