-- Who acted on whom, month by month, and with what tone?
with

dyads as (

    select * from dyads_by_month

)

select * from dyads
order by event_month asc, count_events desc, actor1_country asc, actor2_country asc
