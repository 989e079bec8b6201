using System.ComponentModel.DataAnnotations;
using BankClientele.Hosting.Auth;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using BankClientele.Hosting.Refusals;

namespace BankClientele.Acquisition.Segments;

public sealed record DefineSegment(
    [property: Required, StringLength(20, MinimumLength = 1)] string BranchCode,
    [property: Required, StringLength(100, MinimumLength = 1)] string Name,
    SegmentCriteria Criteria);

public sealed record SegmentDefinitionView(Guid Id, string BranchCode, string Name, IReadOnlyDictionary<string, string> Criteria, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>The ranking's query: the branch, its capacity, the dimensions to group by and criteria to stay within.</summary>
public sealed record RankingQuery(
    string? BranchCode, int? Capacity, string? By,
    string? City, string? District, string? Community, string? AgeBand, string? Occupation, string? IncomeBand,
    string? Tag, string? Channel, string? Engagement, string? Touches, bool? Defined)
{
    public SegmentCriteria Criteria => new(City, District, Community, AgeBand, Occupation, IncomeBand, Tag, Channel, Engagement, Touches);
}

public static class SegmentEndpoints
{
    public const string DefaultGroupBy = "district,ageBand";
    public const int DefaultCapacity = 200;

    public static IEndpointRouteBuilder MapSegmentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/segments/ranking", RankAsync).WithTags("Segments");
        app.MapGet("/api/segments/dimensions", () => TypedResults.Ok(SegmentDimensions.All.Select(d => new { d.Name, d.Group })))
            .WithTags("Segments");
        app.MapGet("/api/segments", ListAsync).WithTags("Segments");
        app.MapPost("/api/segments", DefineAsync).WithTags("Segments");
        return app;
    }

    /// <summary>
    /// Candidate segments of a branch's open prospects ranked on the four tests: one per combination
    /// of the <c>by</c> dimensions' values (default district × age band) within the criteria given,
    /// plus every segment staff defined for the branch (unless <c>defined=false</c>).
    /// </summary>
    private static async Task<IResult> RankAsync([AsParameters] RankingQuery query, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        // A region head names one of their branches; a branch lead's is their own.
        var branch = query.BranchCode ?? scope.BranchCode;
        if (branch is null)
        {
            return FieldErrors.Problem("branchCode", FieldReasons.Required, "Name the branch whose segments to rank.");
        }
        if (!scope.CanSeeBranch(branch))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Branch out of scope", detail: $"You may not see branch '{branch}'.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.BranchOutOfScope, ["field"] = "branchCode" });
        }
        if (query.Capacity is < 1 or > 1_000_000)
        {
            return FieldErrors.Problem("capacity", FieldReasons.OutOfRange, "Capacity (contacts the branch can serve) must be 1 to 1,000,000.", ("min", 1), ("max", 1_000_000));
        }
        var names = (query.By ?? DefaultGroupBy).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var groupBy = names.Select(SegmentDimensions.Named).ToList();
        if (groupBy.Any(d => d is null) || names.Length > SegmentCandidates.MaxGroupBy || groupBy.Distinct().Count() != groupBy.Count)
        {
            return FieldErrors.Problem("by", FieldReasons.NotOneOf,
                $"by names up to {SegmentCandidates.MaxGroupBy} different dimensions of: {string.Join(", ", SegmentDimensions.All.Select(d => d.Name))}.");
        }
        var errors = SegmentDimensions.Check(query.Criteria);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var branchClv = await SegmentCandidates.BranchClvAsync(db, branch, ct);
        var candidates = await SegmentCandidates.GenerateAsync(db, branch, query.Criteria, groupBy!, branchClv, null, ct);
        if (query.Defined ?? true)
        {
            foreach (var definition in await db.SegmentDefinitions.AsNoTracking().Where(s => s.BranchCode == branch).OrderBy(s => s.Name).ToListAsync(ct))
            {
                candidates.AddRange(await SegmentCandidates.GenerateAsync(db, branch, definition.Criteria, [], branchClv, definition.Name, ct));
            }
        }
        return TypedResults.Ok(SegmentScoring.Rank(candidates, query.Capacity ?? DefaultCapacity));
    }

    private static async Task<IResult> ListAsync(string? branchCode, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        var definitions = await db.SegmentDefinitions.AsNoTracking().InBranchesOf(scope)
            .Where(s => branchCode == null || s.BranchCode == branchCode).OrderBy(s => s.BranchCode).ThenBy(s => s.Name).ToListAsync(ct);
        return TypedResults.Ok(definitions.Select(ToView));
    }

    /// <summary>A member of staff defines a target segment of their branch by criteria on the four dimensions.</summary>
    private static async Task<IResult> DefineAsync(DefineSegment request, HttpContext http, AcquisitionDbContext db, CancellationToken ct)
    {
        var scope = DataScope.Of(http.User);
        if (!scope.CanSeeBranch(request.BranchCode))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Branch out of scope",
                detail: $"You may not define segments for branch '{request.BranchCode}'.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.BranchOutOfScope, ["field"] = nameof(DefineSegment.BranchCode) });
        }
        var criteria = request.Criteria ?? new SegmentCriteria();
        var errors = SegmentDimensions.Check(criteria, "criteria.");
        errors.AddIf(criteria.Set().Count == 0, "criteria", FieldReasons.AtLeastOne, "A segment needs at least one criterion.");
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        if (await db.SegmentDefinitions.AnyAsync(s => s.BranchCode == request.BranchCode && s.Name == request.Name, ct))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Segment exists",
                detail: $"Branch {request.BranchCode} has a segment named '{request.Name}'.",
                extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.SegmentExists, ["field"] = nameof(DefineSegment.Name) });
        }
        var definition = new SegmentDefinition
        {
            Id = Guid.CreateVersion7(), BranchCode = request.BranchCode, Name = request.Name.Trim(),
            City = criteria.City, District = criteria.District, Community = criteria.Community, AgeBand = criteria.AgeBand,
            Occupation = criteria.Occupation, IncomeBand = criteria.IncomeBand, Tag = criteria.Tag, Channel = criteria.Channel,
            Engagement = criteria.Engagement, Touches = criteria.Touches, CreatedBy = scope.StaffId, CreatedAt = DateTimeOffset.UtcNow,
        };
        db.SegmentDefinitions.Add(definition);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/segments/{definition.Id}", ToView(definition));
    }

    private static SegmentDefinitionView ToView(SegmentDefinition s) => new(s.Id, s.BranchCode, s.Name, s.Criteria.Set(), s.CreatedBy, s.CreatedAt);
}
