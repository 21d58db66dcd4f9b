using Microsoft.Extensions.AI;

namespace Flywheel.Evals.Chat;

/// <summary>Takes every request sent (retries included) from the run's budget and counts requests and tokens; refuses once the budget is spent.</summary>
public sealed class CallBudgetChatClient : DelegatingChatClient
{
    private readonly CallBudget _budget;
    private readonly ModelCallStats _stats;

    /// <summary>Wraps a client with the budget.</summary>
    public CallBudgetChatClient(IChatClient innerClient, CallBudget budget, ModelCallStats stats)
        : base(innerClient)
    {
        _budget = budget;
        _stats = stats;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!_budget.TryTake())
        {
            throw new CallBudgetExhaustedException($"{CallBudgetExhaustedException.Reason} (--max-calls {_budget.Max})");
        }

        _stats.AddRequest();
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        _stats.AddUsage(response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount);
        return response;
    }
}
