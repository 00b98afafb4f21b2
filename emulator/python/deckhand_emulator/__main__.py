"""Run moto_server on 127.0.0.1 with Deckhand's fidelity fixes and the scheduler's control API."""
import argparse
import os
import signal
import sys


def main() -> None:
    parser = argparse.ArgumentParser(prog="deckhand_emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    os.environ.setdefault("MOTO_PORT", str(args.port))

    from . import autoscaling_hooks, autoscaling_mixed, control, ec2_fixes, ecr_scan_paging, ecs_capacity, ecs_fixes, ecs_services, ecs_tags, inspector_findings, ops_items, ssm_fixes
    from . import ec2_fleet_members, ec2_fleets, iam_audit
    from . import fleet_on_demand, fleet_units
    from . import spot_fleet_on_demand
    from . import autoscaling_terminate, ec2_instances, ecs_external
    from . import autoscaling_capacity_rebalance
    from . import ecs_capacity_providers
    from . import ec2_image_aliases, iam_denials
    from . import autoscaling_distribution
    from . import events_fixes
    from . import autoscaling_activities
    from . import ecs_registration
    from . import fleet_history
    from . import ec2_scheduled_events
    from . import ec2_client_tokens
    from . import server_costs

    server_costs.apply()  # first: what moto pays per request and per reset, paid once
    ecs_fixes.apply()
    ecs_services.apply()
    ec2_fixes.apply()
    autoscaling_hooks.apply()
    autoscaling_mixed.apply()
    autoscaling_distribution.apply()  # after autoscaling_mixed: wraps its merging update
    ssm_fixes.apply()
    ec2_fleets.apply()
    fleet_units.apply()  # after ec2_fleets: wraps its Spot Fleet initialisation
    fleet_on_demand.apply()  # after ec2_fleets: wraps its ModifyFleet
    spot_fleet_on_demand.apply()  # after both: wraps their Spot Fleet calls and termination
    ec2_fleet_members.apply()  # after all three: tags whatever launches EC2 Fleet members
    fleet_history.apply()  # after the four: records what their launches do, refuses a launch from a deregistered image
    ecs_tags.apply()  # after ecs_fixes: wraps its DescribeContainerInstances
    ecs_capacity.apply()
    ops_items.apply()
    ecr_scan_paging.apply()
    ec2_instances.apply()
    ec2_scheduled_events.apply()
    autoscaling_terminate.apply()
    ecs_external.apply()
    inspector_findings.apply()
    autoscaling_capacity_rebalance.apply()
    events_fixes.apply()
    autoscaling_activities.apply()  # records the launches of FakeAutoScalingGroup
    ecs_capacity_providers.apply()
    ecs_registration.apply()  # after ecs_capacity: an instance registered before keeps its resources
    ec2_client_tokens.apply()
    ec2_image_aliases.apply()  # last: wraps RunInstances, CreateFleet and ModifyFleet as the others left them

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import run_simple

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = iam_audit.middleware(iam_denials.middleware(control.middleware(DomainDispatcherApplication(create_backend_app))))
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)


if __name__ == "__main__":
    sys.exit(main())
