# The seed's AWS inventory commands as written: `aws ec2 describe-instances`,
# `aws rds describe-db-instances`, `aws lambda list-functions` with their
# --query, in --output json, text and table forms. The fixtures in
# tests/fixtures/aws/cli were rendered by awscli's own formatter from the AWS
# CLI reference examples (tests/fixtures/aws/cli/render.py); the *.query files
# hold the queries.

### awsq-1.1: describe-instances --output table, detected by its title
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/aws/cli/ec2.table
> aws-ec2 $FIX/aws/cli/ec2.table: 1 records, 1 assets created, 0 merged, 0 skipped

### awsq-1.2: ...the instance: its Name tag, public address as exposure evidence, platform
$ --db $DB assets show my-instance
>* public IP 34.253.223.13 (ec2 describe-instances)
>* Linux/UNIX
>* Name=my-instance

### awsq-1.3: the same command's --output text is the same instance
$ --db $DB --now 2026-12-01T00:00:00Z inventory import aws-ec2 $FIX/aws/cli/ec2.text
> aws-ec2 $FIX/aws/cli/ec2.text: 1 records, 0 assets created, 1 merged, 0 skipped

### awsq-1.4: ...and its --output json, columns from the --query expression
$ --db $DB --now 2026-12-01T00:00:00Z inventory import --query "Reservations[].Instances[].[InstanceId,PrivateIpAddress,PublicIpAddress,State.Name,PlatformDetails,Tags[?Key=='Name']|[0].Value]" aws-ec2 $FIX/aws/cli/ec2.json
> aws-ec2 $FIX/aws/cli/ec2.json: 1 records, 0 assets created, 1 merged, 0 skipped

### awsq-1.5: one asset for the three forms
$ --db $DB --format csv assets
>* 1,my-instance,host,,,yes,Linux/UNIX,0,2026-12-01T00:00:00Z,

### awsq-2.1: describe-db-instances --output table
$ --db $DB --now 2026-12-01T00:00:00Z inventory import $FIX/aws/cli/rds.table
> aws-rds $FIX/aws/cli/rds.table: 1 records, 1 assets created, 0 merged, 0 skipped

### awsq-2.2: ...and --output text, columns named by --columns
$ --db $DB --now 2026-12-01T00:00:00Z inventory import --columns DBInstanceIdentifier,Engine,EngineVersion,Endpoint.Address,PubliclyAccessible aws-rds $FIX/aws/cli/rds.text
> aws-rds $FIX/aws/cli/rds.text: 1 records, 0 assets created, 1 merged, 0 skipped

### awsq-2.3: ...a database running MySQL
$ --db $DB assets show mydbinstancecf
>* database
>* mysql

### awsq-3.1: list-functions --output text
$ --db $DB --now 2026-12-01T00:00:00Z inventory import aws-lambda $FIX/aws/cli/lambda.text
> aws-lambda $FIX/aws/cli/lambda.text: 3 records, 3 assets created, 0 merged, 0 skipped

### awsq-3.2: ...--output table and json are the same three functions
! "$PL" --db "$DB" --now 2026-12-01T00:00:00Z inventory import "$FIX/aws/cli/lambda.table" >/dev/null
$ --db $DB --now 2026-12-01T00:00:00Z inventory import aws-lambda $FIX/aws/cli/lambda.json
> aws-lambda $FIX/aws/cli/lambda.json: 3 records, 0 assets created, 3 merged, 0 skipped

### awsq-3.3: ...with their runtimes and ARNs
$ --db $DB assets show my-python-function
>* python3.11
>* us-west-2

### awsq-4.1: a --query that names no columns is refused, nothing imported
$ --db $T/bad.db --now 2026-12-01T00:00:00Z inventory import --query "Reservations[].Instances[]" aws-ec2 $FIX/aws/cli/ec2.text
? 2
2> --query: 'Reservations[].Instances[]' does not end in a multiselect list [a,b,...]: name the columns with --columns

### awsq-4.2: a row with more values than columns names the file and row
$ --db $T/bad2.db --now 2026-12-01T00:00:00Z inventory import --columns InstanceId,PrivateIpAddress aws-ec2 $FIX/aws/cli/ec2.text
? 1
2> ec2.text: row 1: 6 values for 2 columns

### awsq-5.1: Azure marketplace images map to the OS and version (Ubuntu, Windows Server)
! "$PL" --db "$T/az.db" --now 2026-12-01T00:00:00Z inventory import "$FIX/azure/resource-graph-vms.json" >/dev/null
$ --db $T/az.db --format csv assets
>* ops-win-1,host,,,unknown,windows 2022,
>* web-az-1,host,prod,team-web,unknown,ubuntu 22.04,
