#!/usr/bin/env bash
# Adds an EF Core migration to a service's history under migrations/<Service>/.
#   migrations/add-migration.sh <CustomerCare|Acquisition|FootTraffic|Insights|Portal> <MigrationName>
# dotnet ef writes the model snapshot into a folder named after its namespace inside the project
# when the output folder lies outside it; this moves it next to the migrations where it belongs.
set -euo pipefail
cd "$(dirname "$0")/.."
service=${1:?service name, e.g. CustomerCare}
name=${2:?migration name, e.g. AddRevisitPlans}
project="src/BankClientele.$service"
[[ -d $project ]] || { echo "no project $project" >&2; exit 2; }
dotnet tool restore >/dev/null
dotnet ef migrations add "$name" --project "$project" --output-dir "../../migrations/$service" --namespace "BankClientele.$service.Migrations"
stray="$project/BankClientele"
if [[ -d $stray ]]; then
  find "$stray" -name '*ModelSnapshot.cs' -exec mv -f {} "migrations/$service/" \;
  rm -rf "$stray"
fi
echo "Added migrations/$service/*_$name.cs"
